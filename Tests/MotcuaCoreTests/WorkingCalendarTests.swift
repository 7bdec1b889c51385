import Foundation
import Testing
@testable import MotcuaCore

@Suite struct LocalDateTests {
    let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test func readsOnlyRealDatesWrittenYYYYMMDD() throws {
        let texts = ["2024-02-29", "2023-02-29", "2024-2-09", "+024-02-09", "2024-04-31", "2024-13-01"]

        let dates = texts.map(LocalDate.init(iso:))

        #expect(dates.map { $0?.iso } == ["2024-02-29", nil, nil, nil, nil, nil])
    }

    @Test func encodesAsItsISOString() throws {
        let date = try #require(LocalDate(year: 2026, month: 2, day: 17))

        let json = String(decoding: try JSONEncoder().encode([date]), as: UTF8.self)
        let decoded = try JSONDecoder().decode([LocalDate].self, from: Data(json.utf8))

        #expect(json == #"["2026-02-17"]"#)
        #expect(decoded == [date])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }

    @Test func countsDaysThroughTheJulianDayNumber() throws {
        let millennium = try #require(LocalDate(iso: "2000-01-01"))
        let leapDayEve = try #require(LocalDate(iso: "2024-02-28"))

        let roundTrip = LocalDate(julianDay: millennium.julianDay)

        #expect(millennium.julianDay == 2_451_545)
        #expect(roundTrip == millennium)
        #expect(millennium.weekday == .saturday)
        #expect(leapDayEve.adding(days: 2).iso == "2024-03-01")
        #expect(leapDayEve.days(to: try #require(LocalDate(iso: "2025-02-28"))) == 366)
        #expect(leapDayEve < leapDayEve.adding(days: 1))
        #expect(Weekday.sunday.isoNumber == 7)
    }

    @Test func saigonMidnightIsSeventeenHundredUTC() throws {
        let lastSecondOfFriday = try Date("2025-03-07T16:59:59Z", strategy: .iso8601)
        let saturdayMidnight = try Date("2025-03-07T17:00:00Z", strategy: .iso8601)

        let friday = LocalDate(lastSecondOfFriday, in: saigon)
        let saturday = LocalDate(saturdayMidnight, in: saigon)

        #expect(friday.iso == "2025-03-07")
        #expect(saturday.iso == "2025-03-08")
        #expect(saturday.start(in: saigon) == saturdayMidnight)
    }
}

@Suite struct WorkingCalendarTests {
    let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    let threePM = TimeOfDay(hour: 15, minute: 0)!

    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static func dates(_ isos: String...) -> [LocalDate] { isos.map(date) }
    static func instant(_ iso: String) throws -> Date { try Date(iso, strategy: .iso8601) }

    // MARK: Holidays

    @Test func statutoryHolidaysOf2026ByDefault() {
        let calendar = WorkingCalendar()

        let holidays = calendar.holidays(in: 2026)

        #expect(holidays.map(\.date) == Self.dates(
            "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
            "2026-04-26", "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-02", "2026-09-03"
        ))
        // Hùng Kings' day is a Sunday, made up on Monday 27 April.
        #expect(holidays.map(\.kind) == [.statutory, .statutory, .statutory, .statutory, .statutory, .statutory,
                                         .statutory, .compensatory, .statutory, .statutory, .statutory, .statutory])
        #expect(holidays[1].name == "Tết Nguyên Đán (29 tháng Chạp)")
        #expect(holidays[7].name == "Nghỉ bù Giỗ Tổ Hùng Vương")
    }

    @Test func tetCanStartEarlierThanTheLastDayOfTheYear() {
        let rules = StatutoryHolidays(tetDaysBeforeNewYear: 2)

        let tet = rules.holidays(in: 2026).filter { $0.name.hasPrefix("Tết Nguyên Đán") }

        #expect(tet.map(\.date) == Self.dates("2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"))
    }

    @Test func theDayNextToNationalDayMatchesTheNotices2021To2025() {
        // 2022: 1–2 September (scon.com.vn's 2022 list); 2024: 31 August–3 September
        // (btv.org.vn); 2021: 2–5 September; 2023: 1–4 September; 2025: 30 August–2 September.
        let years = Array(2021...2025)

        let adjacent = years.map { year in
            StatutoryHolidays().holidays(in: year).first { $0.name == "Quốc khánh (ngày liền kề)" }?.date
        }

        #expect(adjacent == Self.dates("2021-09-03", "2022-09-01", "2023-09-01", "2024-09-03", "2025-09-01"))
    }

    @Test func nationalDayOnASaturdayIsMadeUpOnMonday() {
        let calendar = WorkingCalendar()

        let september = calendar.holidays(in: 2023).filter { $0.date.month == 9 }

        #expect(september.map(\.date) == Self.dates("2023-09-01", "2023-09-02", "2023-09-04"))
        #expect(september.map(\.kind) == [.statutory, .statutory, .compensatory])
        #expect(!calendar.isWorkingDay(Self.date("2023-09-04")))
        #expect(calendar.isWorkingDay(Self.date("2023-09-05")))
    }

    @Test func twoHolidaysOnOneWeekendTakeSuccessiveMakeUpDays() {
        // 2023: Hùng Kings' day on Saturday 29 April, Reunification Day on Sunday 30 April,
        // Labour Day on Monday 1 May. The government gave 29 April–3 May.
        let calendar = WorkingCalendar()

        let madeUp = calendar.holidays(in: 2023).filter { $0.kind == .compensatory && $0.date.month == 5 }

        #expect(madeUp.map(\.date) == Self.dates("2023-05-02", "2023-05-03"))
        #expect(madeUp.map(\.name) == ["Nghỉ bù Giỗ Tổ Hùng Vương", "Nghỉ bù Ngày Chiến thắng"])
        #expect(calendar.isWorkingDay(Self.date("2023-05-04")))
    }

    @Test func aSiteWorkingSaturdaysGetsNoMakeUpDayForASaturdayHoliday() {
        let calendar = WorkingCalendar(restDays: [.sunday])

        let september = calendar.holidays(in: 2023).filter { $0.date.month == 9 }

        #expect(september.map(\.date) == Self.dates("2023-09-01", "2023-09-02"))
        #expect(calendar.isWorkingDay(Self.date("2023-09-04")))
        #expect(calendar.isWorkingDay(Self.date("2023-09-09")))
    }

    @Test func holidayNamesAreNFC() {
        let decomposed = "Nghỉ Tết".decomposedStringWithCanonicalMapping
        let notice = HolidayNotice(year: 2023, daysOff: [.init(date: Self.date("2023-12-29"), name: decomposed)])
        let calendar = WorkingCalendar(notices: [notice])

        let names = calendar.holidays(in: 2023).map(\.name)

        #expect(names.contains("Nghỉ Tết"))
        #expect(names.allSatisfy { Array($0.unicodeScalars) == Array($0.precomposedStringWithCanonicalMapping.unicodeScalars) })
    }

    // MARK: Notices

    @Test func aNoticeReplacesTheComputedTetDays() {
        // Tết 2025 as announced: 25 January–2 February, Monday 27 January swapped for
        // Saturday 8 February.
        let tetDays = Self.dates("2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31")
        let notice = HolidayNotice(
            year: 2025,
            daysOff: tetDays.map { .init(date: $0, name: "Tết Nguyên Đán", nameEn: "Lunar New Year") },
            removed: Self.dates("2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01"),
            swaps: [.init(worked: Self.date("2025-02-08"), off: Self.date("2025-01-27"))]
        )
        let byDefault = WorkingCalendar()
        let announced = WorkingCalendar(notices: [notice])

        let breakDays = (0..<9).map { Self.date("2025-01-25").adding(days: $0) }
        let named = announced.holidays(in: 2025).filter { (Self.date("2025-01-20")...Self.date("2025-02-10")).contains($0.date) }

        #expect(breakDays.allSatisfy { !announced.isWorkingDay($0) })
        #expect(announced.isWorkingDay(Self.date("2025-01-24")))
        // No make-up day: the computed Saturday Tết day is gone, and the notice states the break.
        #expect(announced.isWorkingDay(Self.date("2025-02-03")))
        #expect(!byDefault.isWorkingDay(Self.date("2025-02-03")))
        #expect(announced.isWorkingDay(Self.date("2025-02-08")))
        #expect(named.map(\.date) == Self.dates("2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"))
        #expect(named.allSatisfy { $0.kind == .notice })
    }

    @Test func aClosureAppliesOnlyToItsSite() {
        let notice = HolidayNotice(year: 2025, closures: [.init(date: Self.date("2025-03-12"), site: "q1", reason: "Chuyển trụ sở")])
        let closedSite = WorkingCalendar(notices: [notice], site: "q1")
        let otherSite = WorkingCalendar(notices: [notice], site: "q3")

        let closed = closedSite.isWorkingDay(Self.date("2025-03-12"))
        let open = otherSite.isWorkingDay(Self.date("2025-03-12"))

        let closure = Holiday(date: Self.date("2025-03-12"), name: "Chuyển trụ sở", nameEn: "Site closed", kind: .closure)
        #expect(!closed)
        #expect(open)
        #expect(closedSite.holidays(in: 2025).contains(closure))
        #expect(!otherSite.holidays(in: 2025).contains(closure))
    }

    @Test func aNoticeFileMayLeaveOutTheListsItDoesNotNeed() throws {
        let json = #"{"year": 2024, "swaps": [{"worked": "2024-05-04", "off": "2024-04-29"}]}"#

        let notice = try JSONDecoder().decode(HolidayNotice.self, from: Data(json.utf8))

        #expect(notice == HolidayNotice(year: 2024, swaps: [.init(worked: Self.date("2024-05-04"), off: Self.date("2024-04-29"))]))
    }

    // MARK: Counting working days

    @Test func stepsOverDaysOff() {
        let calendar = WorkingCalendar()
        let saturday = Self.date("2025-03-08")

        let next = calendar.nextWorkingDay(onOrAfter: saturday)
        let sameDay = calendar.nextWorkingDay(onOrAfter: Self.date("2025-03-10"))
        let back = calendar.addingWorkingDays(-1, to: Self.date("2025-03-10"))
        let none = calendar.addingWorkingDays(0, to: saturday)

        #expect(next.iso == "2025-03-10")
        #expect(sameDay.iso == "2025-03-10")
        #expect(back.iso == "2025-03-07")
        #expect(none == saturday)
    }

    @Test func dueDateCountsOverTheTetBreak() throws {
        // Friday 13 February 2026; Tết takes Monday 16–Friday 20.
        let calendar = WorkingCalendar()
        let receivedAt = try Self.instant("2026-02-13T10:00:00+07:00")

        let due = calendar.dueDate(receivedAt: receivedAt, workingDays: 3, in: saigon)

        #expect(due.iso == "2026-02-25")
    }

    @Test func dueDateCountsASwappedSaturday() throws {
        // 2024: Monday 29 April off, worked on Saturday 4 May instead.
        let notice = HolidayNotice(year: 2024, swaps: [.init(worked: Self.date("2024-05-04"), off: Self.date("2024-04-29"))])
        let receivedAt = try Self.instant("2024-04-26T09:00:00+07:00")

        let withSwap = WorkingCalendar(notices: [notice]).dueDate(receivedAt: receivedAt, workingDays: 3, in: saigon)
        let withoutSwap = WorkingCalendar().dueDate(receivedAt: receivedAt, workingDays: 3, in: saigon)

        #expect(withSwap.iso == "2024-05-04")
        #expect(withoutSwap.iso == "2024-05-03")
    }

    @Test func aDossierAtOrAfterTheCutOffCountsFromTheNextWorkingDay() throws {
        let calendar = WorkingCalendar()
        let justBefore = try Self.instant("2025-03-10T14:59:59+07:00")
        let atCutOff = try Self.instant("2025-03-10T15:00:00+07:00")

        let dueBefore = calendar.dueDate(receivedAt: justBefore, workingDays: 2, in: saigon, cutoff: threePM)
        let dueAt = calendar.dueDate(receivedAt: atCutOff, workingDays: 2, in: saigon, cutoff: threePM)
        let dueWithoutCutOff = calendar.dueDate(receivedAt: atCutOff, workingDays: 2, in: saigon)

        #expect(dueBefore.iso == "2025-03-12")
        #expect(dueAt.iso == "2025-03-13")
        #expect(dueWithoutCutOff.iso == "2025-03-12")
    }

    @Test func aDossierReceivedOnSundayCountsAsReceivedOnMonday() throws {
        let calendar = WorkingCalendar()
        let sundayMorning = try Self.instant("2025-03-09T10:00:00+07:00")
        let sundayEvening = try Self.instant("2025-03-09T16:00:00+07:00")

        let reception = calendar.receptionDay(receivedAt: sundayMorning, in: saigon)
        let due = calendar.dueDate(receivedAt: sundayMorning, workingDays: 2, in: saigon)
        // The cut-off does not push a Sunday dossier past Monday.
        let dueAfterCutOff = calendar.dueDate(receivedAt: sundayEvening, workingDays: 2, in: saigon, cutoff: threePM)

        #expect(reception.iso == "2025-03-10")
        #expect(due.iso == "2025-03-12")
        #expect(dueAfterCutOff.iso == "2025-03-12")
    }

    @Test func theReceptionDayTurnsAtSaigonMidnight() throws {
        let calendar = WorkingCalendar()
        let fridayNight = try Self.instant("2025-03-07T16:59:59Z")
        let saturdayMidnight = try Self.instant("2025-03-07T17:00:00Z")

        let dueFromFriday = calendar.dueDate(receivedAt: fridayNight, workingDays: 1, in: saigon)
        let dueFromSaturday = calendar.dueDate(receivedAt: saturdayMidnight, workingDays: 1, in: saigon)

        #expect(dueFromFriday.iso == "2025-03-10")
        #expect(dueFromSaturday.iso == "2025-03-11")
    }

    @Test func copiesShareTablesAcrossTasks() async {
        let calendar = WorkingCalendar()
        let days = (0..<366).map { Self.date("2024-01-01").adding(days: $0) }

        let answers = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<4 {
                group.addTask { days.map(calendar.isWorkingDay) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }

        #expect(answers.count == 4)
        #expect(Set(answers).count == 1)
        // 104 weekend days; 11 weekdays off: 1 January, Tết 9, 12, 13 February and its make-up
        // days 14–15 February, Hùng Kings' day, 30 April, 1 May, 2–3 September.
        #expect(answers[0].filter { $0 }.count == 366 - 104 - 11)
    }
}
