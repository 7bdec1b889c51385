import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import Testing
@testable import MotcuaServer

@Suite struct BookingEndpointTests {
    struct BookingItem: Decodable {
        struct CitizenItem: Decodable { let fullName: String; let idNumber: String; let phone: String }
        let code: String
        let slotId: Int64
        let start: String
        let status: String
        let citizen: CitizenItem
        let qr: String
    }
    struct SlotItem: Decodable { let id: Int64; let booked: Int; let available: Int }
    struct DetailedError: Decodable {
        struct Detail: Decodable { let field: String; let code: String }
        struct Body: Decodable { let code: String; let field: String?; let details: [Detail]? }
        let error: Body
    }

    static func body(slot: Int64, name: String = "Trần Thị Bình", id: String = "079203001234", phone: String = "0912 345 678") -> String {
        #"{"slotId": \#(slot), "citizen": {"fullName": "\#(name)", "idNumber": "\#(id)", "phone": "\#(phone)"}}"#
    }

    /// The first slot of service A on Tuesday 2 March 2027 (the clock says Monday 09:00).
    static func tuesdaySlots(_ client: some TestClientProtocol) async throws -> [SlotItem] {
        try await client.json("/api/v1/slots?service=A&from=2027-03-02&to=2027-03-02").decoded([SlotItem].self)
    }

    @Test func bookReadCancelOverHTTP() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let slot = try #require(try await Self.tuesdaySlots(client).first)

            let created = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: slot.id))

            #expect(created.status == .created)
            let booking = try created.decoded(BookingItem.self)
            #expect(booking.status == "booked")
            #expect(booking.start == "2027-03-02T07:30:00+07:00")
            #expect(booking.code.range(of: #"^[A-Z2-9]{4}-[A-Z2-9]{4}$"#, options: .regularExpression) != nil)
            #expect(booking.citizen.fullName == "Trần Thị Bình")
            #expect(booking.citizen.idNumber.hasSuffix("234") && !booking.citizen.idNumber.contains("0792"))
            #expect(booking.citizen.phone.hasSuffix("678") && !booking.citizen.phone.contains("0912"))
            #expect(booking.qr.hasPrefix("MC1."))
            #expect(try await Self.tuesdaySlots(client).first?.booked == 1)

            let typed = booking.code.lowercased().replacingOccurrences(of: "-", with: " ")
            let read = try await client.json("/api/v1/bookings/\(typed.replacingOccurrences(of: " ", with: "%20"))")
            #expect(read.status == .ok, "\(read.status) \(read.text)")
            #expect(try read.decoded(BookingItem.self).code == booking.code)

            let cancelled = try await client.json("/api/v1/bookings/\(booking.code)/cancel", .post)
            #expect(try cancelled.decoded(BookingItem.self).status == "cancelled")
            #expect(try await Self.tuesdaySlots(client).first?.available == 4)
            let again = try await client.json("/api/v1/bookings/\(booking.code)/cancel", .post)
            #expect(again.status == .conflict)
            #expect(try again.decoded(ErrorBody.self).error.code == "booking_not_active")
        }
    }

    @Test func everyBadCitizenFieldIsReportedAtOnce() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let slot = try #require(try await Self.tuesdaySlots(client).first)

            let response = try await client.json(
                "/api/v1/bookings", .post, body: Self.body(slot: slot.id, name: "Bình 2", id: "099203001234", phone: "0241234567")
            )

            #expect(response.status == .unprocessableContent)
            let error = try response.decoded(DetailedError.self).error
            #expect(error.field == "citizen.fullName")
            #expect(error.details?.map(\.field) == ["citizen.fullName", "citizen.idNumber", "citizen.phone"])
            #expect(error.details?.map(\.code) == ["full_name_characters", "id_number_province", "phone_landline"])
            #expect(try await Self.tuesdaySlots(client).first?.booked == 0)
        }
    }

    @Test func refusalsCarryTheirOwnCodes() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let slots = try await Self.tuesdaySlots(client)
            _ = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: slots[0].id))

            let duplicate = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: slots[5].id))
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.decoded(ErrorBody.self).error.code == "duplicate_booking")

            let unknown = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: 987_654))
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.decoded(ErrorBody.self).error.code == "slot_not_found")

            let today = try await client.json("/api/v1/slots?service=A&from=2027-03-01&to=2027-03-01").decoded([SlotItem].self)
            let tooSoon = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: today[3].id, id: "079203009999"))
            #expect(try tooSoon.decoded(ErrorBody.self).error.code == "too_soon")   // 09:00 slot at 09:00

            let missing = try await client.json("/api/v1/bookings/ABCD-EFGH")
            #expect(missing.status == .notFound)
            #expect(try missing.decoded(ErrorBody.self).error.code == "booking_not_found")
        }
    }

    @Test func rescheduleMovesTheBooking() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let slots = try await Self.tuesdaySlots(client)
            let booking = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: slots[0].id)).decoded(BookingItem.self)

            let moved = try await client.json("/api/v1/bookings/\(booking.code)/reschedule", .post, body: #"{"slotId": \#(slots[2].id)}"#)

            #expect(try moved.decoded(BookingItem.self).slotId == slots[2].id)
            let after = try await Self.tuesdaySlots(client)
            #expect(after[0].booked == 0 && after[2].booked == 1)
        }
    }

    @Test func calendarFileIsRFC5545WithAReminder() async throws {
        var site = TestSite()
        site.configure { $0.siteAddress = "135 Nam Kỳ Khởi Nghĩa, Quận 1, TP. Hồ Chí Minh" }
        let app = try await site.app()

        try await app.test(.router) { client in
            let slot = try #require(try await Self.tuesdaySlots(client).first)
            let booking = try await client.json("/api/v1/bookings", .post, body: Self.body(slot: slot.id)).decoded(BookingItem.self)

            let response = try await client.json("/api/v1/bookings/\(booking.code)/calendar.ics")

            #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
            let text = response.text
            let lines = text.components(separatedBy: "\r\n")
            #expect(text.hasSuffix("\r\n"))
            #expect(lines.first == "BEGIN:VCALENDAR")
            #expect(lines.contains("DTSTART:20270302T003000Z"))
            #expect(lines.contains("DTEND:20270302T010000Z"))
            #expect(lines.contains("TRIGGER:-PT60M"))
            #expect(lines.allSatisfy { $0.utf8.count <= 75 })
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains(#"LOCATION:Trung tâm Phục vụ hành chính công\, 135 Nam Kỳ Khởi Nghĩa\, Quận 1\, TP. Hồ Chí Minh"#))
        }
    }
}
