import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import MotcuaStore
import Testing
@testable import MotcuaServer

@Suite struct CapacityEndpointTests {
    typealias SlotItem = BookingEndpointTests.SlotItem
    struct Change: Decodable {
        struct Displaced: Decodable { let code: String; let fullName: String; let phone: String }
        let slots: [SlotItem]
        let displaced: [Displaced]
    }

    /// Books three citizens into Tuesday's first slot of service A, oldest first.
    static func bookThree(_ client: some TestClientProtocol) async throws -> (slot: SlotItem, codes: [String]) {
        let slot = try #require(try await BookingEndpointTests.tuesdaySlots(client).first)
        var codes: [String] = []
        for (n, phone) in ["0912000001", "0912000002", "0912000003"].enumerated() {
            let body = BookingEndpointTests.body(slot: slot.id, name: "Người Số \(["Một", "Hai", "Ba"][n])", id: "07920300000\(n)", phone: phone)
            codes.append(try await client.json("/api/v1/bookings", .post, body: body).decoded(BookingEndpointTests.BookingItem.self).code)
        }
        return (slot, codes)
    }

    @Test func loweringBelowBookedIsRefusedThenForcedWithTheDisplacedListed() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)

        try await app.test(.router) { client in
            let (slot, codes) = try await Self.bookThree(client)

            let refused = try await client.json("/api/v1/slots/\(slot.id)/capacity", .put, token: manager, body: #"{"capacity": 1}"#)
            #expect(refused.status == .conflict)
            #expect(try refused.decoded(ErrorBody.self).error.code == "below_booked")
            #expect(try await BookingEndpointTests.tuesdaySlots(client).first?.booked == 3, "a refusal changes nothing")
            struct Refusal: Decodable { struct Body: Decodable { let displaced: [Change.Displaced] }; let error: Body }
            let wouldDisplace = try refused.decoded(Refusal.self).error.displaced
            #expect(wouldDisplace.map(\.code).sorted() == Array(codes[1...]).sorted(), "the refusal names whom forcing would displace")

            let forced = try await client.json(
                "/api/v1/slots/\(slot.id)/capacity", .put, token: manager, body: #"{"capacity": 1, "force": true, "reason": "cán bộ nghỉ ốm"}"#
            )

            #expect(forced.status == .ok)
            let change = try forced.decoded(Change.self)
            #expect(change.slots.map(\.booked) == [1])
            #expect(change.displaced.map(\.code).sorted() == wouldDisplace.map(\.code).sorted(), "the most recent bookings go first")
            #expect(Set(change.displaced.map(\.phone)) == ["0912000002", "0912000003"])
            let kept = try await client.json("/api/v1/bookings/\(codes[0])").decoded(BookingEndpointTests.BookingItem.self)
            #expect(kept.status == "booked")
            let pushed = try await client.json("/api/v1/bookings/\(codes[2])").decoded(BookingEndpointTests.BookingItem.self)
            #expect(pushed.status == "displaced")
            let contactList = try await client.json("/api/v1/displaced-bookings", token: manager).decoded([Change.Displaced].self)
            #expect(contactList.count == 2)
        }
    }

    @Test func everyCapacityChangeIsAuditedWithBeforeAndAfter() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)
        let slotId = try await app.test(.router) { client in
            let (slot, _) = try await Self.bookThree(client)
            _ = try await client.json("/api/v1/slots/\(slot.id)/capacity", .put, token: manager, body: #"{"capacity": 6}"#)
            _ = try await client.json("/api/v1/slots/\(slot.id)/capacity", .put, token: manager, body: #"{"capacity": 2, "force": true}"#)
            return slot.id
        }

        let trail = try await site.store().auditTrail(subject: "slot:\(slotId)")
        let before = trail.compactMap { $0.state(\.before, as: CapacityState.self) }
        let after = trail.compactMap { $0.state(\.after, as: CapacityState.self) }
        #expect(before.map(\.capacity) == [4, 6])
        #expect(after.map(\.capacity) == [6, 2])
        #expect(after.map(\.booked) == [3, 2])
        #expect(after.last?.displaced?.count == 1)
        #expect(trail.allSatisfy { $0.actor == "manager:test manager" && $0.action == "slot.capacity" })
    }

    @Test func dayCapacityAndPartDayClosure() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)

        try await app.test(.router) { client in
            let day = try await client.json("/api/v1/services/A/days/2027-03-02/capacity", .put, token: manager, body: #"{"capacity": 6}"#)
            #expect(try day.decoded(Change.self).slots.count == 15)
            #expect(try await BookingEndpointTests.tuesdaySlots(client).allSatisfy { $0.available == 6 })

            let closure = try await client.json(
                "/api/v1/services/A/closures", .post, token: manager,
                body: #"{"date": "2027-03-02", "from": "13:30", "to": "17:00", "reason": "họp giao ban"}"#
            )
            #expect(try closure.decoded(Change.self).slots.count == 7)
            let after = try await BookingEndpointTests.tuesdaySlots(client)
            #expect(after.filter { $0.available == 0 }.count == 7)
            #expect(after.filter { $0.available == 6 }.count == 8)

            let bad = try await client.json("/api/v1/services/A/closures", .post, token: manager, body: #"{"date": "2027-03-02", "from": "25:00", "reason": "x"}"#)
            #expect(try bad.decoded(ErrorBody.self).error.field == "from")
        }
    }

    @Test func capacityChangesNeedAManager() async throws {
        let site = TestSite()
        let app = try await site.app()
        let officer = try await site.token(.officer)

        try await app.test(.router) { client in
            let slot = try #require(try await BookingEndpointTests.tuesdaySlots(client).first)
            #expect(try await client.json("/api/v1/slots/\(slot.id)/capacity", .put, body: #"{"capacity": 1}"#).status == .unauthorized)
            #expect(try await client.json("/api/v1/slots/\(slot.id)/capacity", .put, token: officer, body: #"{"capacity": 1}"#).status == .forbidden)
        }
    }
}
