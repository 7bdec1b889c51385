import Foundation
import Testing
@testable import MotcuaCore

@Suite struct SlotTemplateTests {
    let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test func cutsSessionsIntoSlotsAtTheSiteWallClock() throws {
        let template = SlotTemplate(
            sessions: [.init(start: TimeOfDay("07:30")!, end: TimeOfDay("09:00")!), .init(start: TimeOfDay("13:30")!, end: TimeOfDay("14:40")!)],
            slotMinutes: 30, capacity: 3
        )
        let day = try #require(LocalDate(year: 2027, month: 2, day: 3))

        let windows = template.windows(on: day, in: saigon, calendar: WorkingCalendar())

        let format = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: saigon)
        #expect(windows.map { $0.start.formatted(format) } == [
            "2027-02-03T07:30:00+07:00", "2027-02-03T08:00:00+07:00", "2027-02-03T08:30:00+07:00",
            "2027-02-03T13:30:00+07:00", "2027-02-03T14:00:00+07:00",
        ])
        #expect(windows.allSatisfy { $0.end.timeIntervalSince($0.start) == 1800 })
        // Stored in UTC: 07:30 in Hồ Chí Minh City is 00:30Z.
        #expect(windows[0].start.formatted(.iso8601) == "2027-02-03T00:30:00Z")
    }

    @Test func saturdayMorningOpensOnlySaturdaysThatAreNoHoliday() throws {
        let template = SlotTemplate(
            sessions: [.init(start: TimeOfDay("07:30")!, end: TimeOfDay("11:30")!)],
            saturdaySessions: [.init(start: TimeOfDay("07:30")!, end: TimeOfDay("09:30")!)],
            slotMinutes: 60, capacity: 2
        )
        let calendar = WorkingCalendar()
        let saturday = try #require(LocalDate(year: 2027, month: 3, day: 6))
        let sunday = saturday.adding(days: 1)
        let tetSaturday = try #require(LocalDate(year: 2027, month: 2, day: 6))   // Tết 2027
        let format = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: saigon)

        let onSaturday = template.windows(on: saturday, in: saigon, calendar: calendar)

        #expect(onSaturday.map { $0.start.formatted(format) } == ["2027-03-06T07:30:00+07:00", "2027-03-06T08:30:00+07:00"])
        #expect(template.windows(on: sunday, in: saigon, calendar: calendar).isEmpty)
        #expect(template.windows(on: tetSaturday, in: saigon, calendar: calendar).isEmpty)
        #expect(!calendar.isWorkingDay(saturday), "Saturday stays a rest day for processing time")
        #expect(template.windows(on: saturday.adding(days: 2), in: saigon, calendar: calendar).count == 4)
    }

    @Test func templatesWithoutSaturdaySessionsDecode() throws {
        let json = #"{"sessions": [{"start": "07:30", "end": "11:30"}], "slotMinutes": 30, "capacity": 4}"#
        let template = try JSONDecoder().decode(SlotTemplate.self, from: Data(json.utf8))
        #expect(template.saturdaySessions.isEmpty)
        #expect(template.sessions.count == 1)
    }

    @Test func timeOfDayReadsOnlyWellFormedTimes() {
        #expect(TimeOfDay("07:30")?.minutes == 450)
        #expect(TimeOfDay("24:00") == nil)
        #expect(TimeOfDay("7:30") == nil)
        #expect(TimeOfDay("07:60") == nil)
        #expect(TimeOfDay("07:30")?.description == "07:30")
    }
}
