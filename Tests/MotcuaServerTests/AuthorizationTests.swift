import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import Testing
@testable import MotcuaServer

@Suite struct AuthorizationTests {
    /// Protected routes and the roles they admit. Every role is tried on every row: allowed
    /// roles get through, the others get 403, and a caller with no credentials gets 401.
    static let protectedRoutes: [(method: HTTPRequest.Method, uri: String, body: String?, allowed: Set<Role>)] = [
        (.post, "/api/v1/tokens", #"{"role":"kiosk","name":"Kiosk 2"}"#, [.manager]),
        (.post, "/api/v1/counters/1/open", nil, [.officer, .manager]),
        (.post, "/api/v1/counters/1/close", nil, [.officer, .manager]),
        (.get, "/api/v1/session", nil, Set(Role.allCases)),
        (.put, "/api/v1/slots/1/capacity", #"{"capacity": 4}"#, [.manager]),
        (.put, "/api/v1/calendar/notices/2027", #"{"year": 2027}"#, [.manager]),
        (.get, "/api/v1/displaced-bookings", nil, [.manager]),
        (.post, "/api/v1/counters/2/call-next", nil, [.officer, .manager]),
        (.get, "/api/v1/queue/statistics", nil, [.manager]),
    ]

    @Test(arguments: Role.allCases)
    func eachRoleIsAllowedWhereListedAndRefusedElsewhere(role: Role) async throws {
        let site = TestSite()
        let app = try await site.app()
        let token = try await site.token(role)

        try await app.test(.router) { client in
            for route in Self.protectedRoutes {
                let response = try await client.json(route.uri, route.method, token: token, body: route.body)
                if route.allowed.contains(role) {
                    #expect((200..<300).contains(response.status.code), "\(role) \(route.method) \(route.uri): \(response.status)")
                } else {
                    #expect(response.status == .forbidden, "\(role) \(route.method) \(route.uri)")
                    #expect(try response.decoded(ErrorBody.self).error.code == "forbidden")
                }
            }
        }
    }

    @Test func anonymousAndForgedCallersAreRefused() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            for route in Self.protectedRoutes {
                let anonymous = try await client.json(route.uri, route.method, body: route.body)
                #expect(anonymous.status == .unauthorized, "\(route.method) \(route.uri)")
                #expect(try anonymous.decoded(ErrorBody.self).error.code == "unauthenticated")

                let forged = try await client.json(route.uri, route.method, token: "mct_forged", body: route.body)
                #expect(forged.status == .unauthorized)
                #expect(try forged.decoded(ErrorBody.self).error.code == "invalid_token")
            }
        }
    }

    @Test func consoleLoginSetsAStrictHttpOnlyCookieThatAuthorizes() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let login = try await client.json("/api/v1/session", .post, body: #"{"username":"quanly","password":"quanly-demo"}"#)
            #expect(login.status == .ok)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))

            let issued = try await client.json("/api/v1/tokens", .post, cookie: cookie, body: #"{"role":"display","name":"TV sảnh"}"#)
            #expect(issued.status == .created)
            let officerRoute = try await client.json("/api/v1/counters/2/close", .post, cookie: cookie)
            #expect(officerRoute.status == .ok)

            let logout = try await client.json("/api/v1/session", .delete, cookie: cookie)
            #expect(logout.status == .noContent)
            let after = try await client.json("/api/v1/tokens", .post, cookie: cookie, body: #"{"role":"display","name":"TV"}"#)
            #expect(after.status == .unauthorized)
        }
    }

    @Test func officerSessionCannotIssueTokensAndWrongPasswordIsRefused() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let wrong = try await client.json("/api/v1/session", .post, body: #"{"username":"canbo","password":"doan-sai-roi"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            #expect(try wrong.decoded(ErrorBody.self).error.code == "invalid_credentials")

            let login = try await client.json("/api/v1/session", .post, body: #"{"username":"canbo","password":"canbo-demo"}"#)
            let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let refused = try await client.json("/api/v1/tokens", .post, cookie: cookie, body: #"{"role":"kiosk","name":"K"}"#)
            #expect(refused.status == .forbidden)
        }
    }

    @Test func issuedTokenCarriesTheRequestedRole() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)

        try await app.test(.router) { client in
            let issued = try await client.json("/api/v1/tokens", .post, token: manager, body: #"{"role":"officer","name":"Quầy 3"}"#)
            struct Issued: Decodable { let token: String }
            let token = try issued.decoded(Issued.self).token
            let whoami = try await client.json("/api/v1/session", token: token)
            #expect(whoami.text.contains(#""role":"officer""#))

            let badRole = try await client.json("/api/v1/tokens", .post, token: manager, body: #"{"role":"admin","name":"X"}"#)
            #expect(badRole.status == .unprocessableContent)
            #expect(try badRole.decoded(ErrorBody.self).error.field == "role")
        }
    }
}
