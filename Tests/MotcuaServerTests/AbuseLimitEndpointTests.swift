import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

/// Rate limits and the login lock, over real TCP so the server sees a client address.
@Suite struct AbuseLimitEndpointTests {
    @Test func aClientAddressGetsItsBurstOfTicketsThen429WithRetryAfter() async throws {
        var site = TestSite()
        site.configure {
            $0.limitBurst = 3
            $0.limitPerMinute = 6
            $0.limitExempt = []
        }
        let kiosk = try await site.token(.kiosk)
        let app = try await site.app()

        try await app.test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await client.json("/api/v1/tickets", .post, body: #"{"serviceId": "A"}"#).status)
            }
            let refused = try await client.json("/api/v1/tickets", .post, body: #"{"serviceId": "A"}"#)
            let byDevice = try await client.json("/api/v1/tickets", .post, token: kiosk, body: #"{"serviceId": "A"}"#)
            let reading = try await client.json("/api/v1/queue/status")

            #expect(statuses == [.created, .created, .created, .tooManyRequests])
            #expect(refused.headers[.retryAfter] == "10", "6 a minute: one every 10 s")
            #expect(try refused.decoded(ErrorBody.self).error.code == "too_many_requests")
            #expect(byDevice.status == .created, "a kiosk showing its token has its own allowance")
            #expect(reading.status == .ok, "reads are not limited")
        }
    }

    @Test func theMachineItselfIsNotLimitedByDefault() async throws {
        var site = TestSite()
        site.configure { $0.limitBurst = 1 }
        let app = try await site.app()

        try await app.test(.live) { client in
            let first = try await client.json("/api/v1/tickets", .post, body: #"{"serviceId": "A"}"#)
            let second = try await client.json("/api/v1/tickets", .post, body: #"{"serviceId": "A"}"#)

            #expect([first.status, second.status] == [.created, .created])
        }
    }

    @Test func fiveWrongPasswordsLockTheConsoleNameEvenAgainstTheRightOne() async throws {
        let clock = ManualClock(TestSite.mondayMorning)
        let app = try await TestSite(clock: clock.clock).app()
        let wrong = #"{"username": "canbo", "password": "doan-mo"}"#
        let right = #"{"username": "canbo", "password": "canbo-demo"}"#

        try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 { statuses.append(try await client.json("/api/v1/session", .post, body: wrong).status) }
            let locked = try await client.json("/api/v1/session", .post, body: right)
            clock.advance(by: 30)
            let afterTheWait = try await client.json("/api/v1/session", .post, body: right)

            #expect(statuses == Array(repeating: .unauthorized, count: 5))
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] == "30")
            #expect(afterTheWait.status == .ok)
        }
    }
}
