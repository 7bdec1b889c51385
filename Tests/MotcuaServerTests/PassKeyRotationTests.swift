import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

/// `motcua keys rotate`: passes signed before a rotation check in until the overlap ends,
/// and not after; new passes are signed with the new key.
@Suite struct PassKeyRotationTests {
    typealias BookingItem = BookingEndpointTests.BookingItem
    typealias SlotItem = BookingEndpointTests.SlotItem
    struct ErrorBody: Decodable {
        struct Body: Decodable { let code: String }
        let error: Body
    }

    /// Books the 09:30 slot of `service` on Monday (the clock says 09:00).
    func book(_ client: some TestClientProtocol, service: String) async throws -> BookingItem {
        let slots = try await client.json("/api/v1/slots?service=\(service)&from=2027-03-01&to=2027-03-01").decoded([SlotItem].self)
        return try await client.json("/api/v1/bookings", .post, body: BookingEndpointTests.body(slot: slots[4].id)).decoded(BookingItem.self)
    }

    @Test func passesOfARetiredKeyCheckInThroughTheOverlapOnly() async throws {
        let site = TestSite()
        let keys = site.config.resolvedKeysPath
        let beforeRotation = try await site.app().test(.router) { client in try await book(client, service: "A") }

        let rotated = try PassSigningKey.rotate(directory: keys, overlap: 86_400, now: TestSite.mondayMorning)
        let afterRotation = try await site.app().test(.router) { client in
            let reread = try await client.json("/api/v1/bookings/\(beforeRotation.code)").decoded(BookingItem.self)
            let checkIn = try await client.json("/api/v1/checkins", .post, body: #"{"qr": "\#(beforeRotation.qr)"}"#)

            #expect(reread.qr != beforeRotation.qr && reread.qr.contains(rotated.keyId), "the same booking's pass is signed anew")
            #expect(beforeRotation.qr.contains(rotated.retired.keyId))
            #expect(checkIn.status == .created, "a pass handed out before the rotation still checks in")
            return try await book(client, service: "B")
        }

        // A second rotation with no overlap at all: the last key's passes stop at once.
        _ = try PassSigningKey.rotate(directory: keys, overlap: 0, now: TestSite.mondayMorning)
        try await site.app().test(.router) { client in
            let refused = try await client.json("/api/v1/checkins", .post, body: #"{"qr": "\#(afterRotation.qr)"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.decoded(ErrorBody.self).error.code == "qr_forged")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: keys)
        let modes = try files.map { try FileManager.default.attributesOfItem(atPath: (keys as NSString).appendingPathComponent($0))[.posixPermissions] as? Int }
        #expect(files.filter { $0.hasPrefix("pass-retired-") }.count == 2)
        #expect(modes.allSatisfy { $0 == 0o600 }, "every key file readable by the service's user only")
    }
}
