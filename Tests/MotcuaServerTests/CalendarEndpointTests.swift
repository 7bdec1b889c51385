import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import Testing
@testable import MotcuaServer

@Suite struct CalendarEndpointTests {
    struct HolidayItem: Decodable { let date: String; let name: String; let kind: String }
    struct DueDate: Decodable { let receptionDay: String; let workingDays: Int; let dueDate: String }
    struct Sync: Decodable { let added: Int; let removed: Int; let closed: Int; let displaced: [String] }

    @Test func holidaysOf2027IncludeTheLunarOnes() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let holidays = try await client.json("/api/v1/calendar/holidays?year=2027").decoded([HolidayItem].self)
            let dates = Set(holidays.map(\.date))
            // Tết 2027 falls on Saturday 6 February; Hùng Kings' day (10/3 lunar) on 16 April.
            #expect(dates.isSuperset(of: ["2027-01-01", "2027-02-06", "2027-02-07", "2027-04-16", "2027-04-30", "2027-05-01", "2027-09-02"]))
            #expect(holidays.contains { $0.kind == "compensatory" })
            #expect(try await client.json("/api/v1/calendar/holidays?year=abc").status == .unprocessableContent)
        }
    }

    @Test func dueDateCountsWorkingDaysAcrossTet() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            // Received Thursday 4 February 2027; Friday 5 to Thursday 11 are Tết and its make-up
            // days, so the three working days are Friday 12, Monday 15 and Tuesday 16.
            let due = try await client.json("/api/v1/calendar/due-date?receivedAt=2027-02-04T09:00:00%2B07:00&workingDays=3").decoded(DueDate.self)
            #expect(due.receptionDay == "2027-02-04")
            #expect(due.dueDate == "2027-02-16")

            // A same-day procedure with a 15:00 cut-off, received Monday 1 March at 16:00.
            let late = try await client.json("/api/v1/calendar/due-date?receivedAt=2027-03-01T16:00:00+07:00&procedure=2.000815").decoded(DueDate.self)
            #expect(late.receptionDay == "2027-03-02")
            #expect(late.workingDays == 0)
            #expect(late.dueDate == "2027-03-02")

            let bad = try await client.json("/api/v1/calendar/due-date?receivedAt=yesterday&workingDays=3")
            #expect(try bad.decoded(ErrorBody.self).error.field == "receivedAt")
            let ancient = try await client.json("/api/v1/calendar/due-date?receivedAt=0501-07-02T05:05:37Z&workingDays=3")
            #expect(ancient.status == .unprocessableContent)
            #expect(try ancient.decoded(ErrorBody.self).error.field == "receivedAt")
        }
    }

    @Test func aNoticeClosesItsDaysAndOpensItsSwappedSaturday() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)

        try await app.test(.router) { client in
            let wednesday = try await client.json("/api/v1/slots?service=A&from=2027-03-03&to=2027-03-03").decoded([BookingEndpointTests.SlotItem].self)
            let booking = try await client.json("/api/v1/bookings", .post, body: BookingEndpointTests.body(slot: wednesday[0].id))
                .decoded(BookingEndpointTests.BookingItem.self)
            let notice = """
                {"year": 2027, "daysOff": [{"date": "2027-03-03", "name": "Nghỉ bầu cử"}],
                 "swaps": [{"worked": "2027-03-06", "off": "2027-03-05"}]}
                """

            let response = try await client.json("/api/v1/calendar/notices/2027", .put, token: manager, body: notice)

            let sync = try response.decoded(Sync.self)
            #expect(sync.closed == 1)
            #expect(sync.displaced == [booking.code])
            // Friday's slots go (15 for each desk service, 30 for each clinic), and Wednesday's
            // but for the booked one, which is closed instead.
            #expect(sync.removed == (3 * 15 + 2 * 30) * 2 - 1)
            #expect(sync.added >= 3 * 15 + 2 * 30, "Saturday opens")
            let wednesdayAfter = try await client.json("/api/v1/slots?service=A&from=2027-03-03&to=2027-03-03").decoded([BookingEndpointTests.SlotItem].self)
            #expect(wednesdayAfter.count == 1 && wednesdayAfter[0].available == 0)
            let friday = try await client.json("/api/v1/slots?service=A&from=2027-03-05&to=2027-03-05").decoded([BookingEndpointTests.SlotItem].self)
            let saturday = try await client.json("/api/v1/slots?service=A&from=2027-03-06&to=2027-03-06").decoded([BookingEndpointTests.SlotItem].self)
            #expect(friday.isEmpty)
            #expect(saturday.count == 15)
            let pushed = try await client.json("/api/v1/bookings/\(booking.code)").decoded(BookingEndpointTests.BookingItem.self)
            #expect(pushed.status == "displaced")
            let holidays = try await client.json("/api/v1/calendar/holidays?year=2027").decoded([HolidayItem].self)
            #expect(holidays.contains { $0.date == "2027-03-03" && $0.name == "Nghỉ bầu cử" })
            let stored = try await client.json("/api/v1/calendar/notices/2027")
            #expect(stored.text.contains("Nghỉ bầu cử"))
        }
    }

    @Test func aNoticeReachingPastTheNextYearOrADayOffWithoutANameIsRefused() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)

        try await app.test(.router) { client in
            let far = try await client.json(
                "/api/v1/calendar/notices/2027", .put, token: manager, body: #"{"year": 2027, "daysOff": [{"date": "2029-01-02", "name": "Nghỉ"}]}"#
            )
            let unnamed = try await client.json(
                "/api/v1/calendar/notices/2027", .put, token: manager, body: #"{"year": 2027, "daysOff": [{"date": "2027-03-03", "name": " "}]}"#
            )
            // A swap across New Year is what a notice may do.
            let acrossNewYear = try await client.json(
                "/api/v1/calendar/notices/2027", .put, token: manager,
                body: #"{"year": 2027, "swaps": [{"worked": "2026-12-26", "off": "2027-01-02"}]}"#
            )

            #expect(far.status == .unprocessableContent)
            #expect(try far.decoded(ErrorBody.self).error.field == "daysOff[0].date")
            #expect(unnamed.status == .unprocessableContent)
            #expect(try unnamed.decoded(ErrorBody.self).error.field == "daysOff[0].name")
            #expect(acrossNewYear.status == .ok)
            #expect(try await client.json("/api/v1/calendar/notices/2027").text.contains("2026-12-26"))
        }
    }

    @Test func aTemplateChangeReshapesTheSlotsFromItsDate() async throws {
        let site = TestSite()
        let app = try await site.app()
        let manager = try await site.token(.manager)

        try await app.test(.router) { client in
            let template = """
                {"effectiveFrom": "2027-03-08", "template": {"sessions": [{"start": "08:00", "end": "11:00"}], "slotMinutes": 60, "capacity": 2}}
                """

            let response = try await client.json("/api/v1/services/B/template", .put, token: manager, body: template)

            #expect(response.status == .ok)
            let monday = try await client.json("/api/v1/slots?service=B&from=2027-03-08&to=2027-03-08").decoded([BookingEndpointTests.SlotItem].self)
            #expect(monday.count == 3)
            #expect(monday.allSatisfy { $0.available == 2 })
            let friday = try await client.json("/api/v1/slots?service=B&from=2027-03-05&to=2027-03-05").decoded([BookingEndpointTests.SlotItem].self)
            #expect(friday.count == 15, "days before effectiveFrom keep their slots")
        }
    }
}
