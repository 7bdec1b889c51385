import Testing
@testable import MotcuaCore

@Suite struct LunarCalendarTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// Tết (lunar 1/1), 2020–2040. Source: timeanddate.com's Vietnam holiday pages, as carried
    /// in KDE kholidays, holidays/plan2/holiday_vn_vi ("Tết Nguyên Đán" entries, updated
    /// 2025-05-04). That list follows the UTC+8 reckoning, so for 2030 it gives China's
    /// 3 February; Vietnam's Tết 2030 is 2 February: the new moon comes at 16:09 UT, before
    /// midnight at UTC+7 and after it at UTC+8. Hồ Ngọc Đức's note on the Vietnamese calendar
    /// lists 2007, 2030 and 2053 as this century's split years, with 02/02/2030 for Vietnam
    /// (quoted at kientruc2014.com; also scienceinfo.net, "Why is the Vietnamese and Chinese
    /// New Year a day different?").
    static let tet: [(Int, String)] = [
        (2020, "2020-01-25"), (2021, "2021-02-12"), (2022, "2022-02-01"), (2023, "2023-01-22"),
        (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17"), (2027, "2027-02-06"),
        (2028, "2028-01-26"), (2029, "2029-02-13"), (2030, "2030-02-02"), (2031, "2031-01-23"),
        (2032, "2032-02-11"), (2033, "2033-01-31"), (2034, "2034-02-19"), (2035, "2035-02-08"),
        (2036, "2036-01-28"), (2037, "2037-02-15"), (2038, "2038-02-04"), (2039, "2039-01-24"),
        (2040, "2040-02-12"),
    ]

    /// Hùng Kings' day (lunar 10/3), 2020–2040, same source ("Giỗ Tổ Hùng Vương"; 2016–2026
    /// also on timeanddate's archived "Hung Kings Festival" page). Again the UTC+8 list is a
    /// day late where the month's new moon falls between 23:00 and midnight at UTC+7: 3rd
    /// month 2037 (new moon 16:10 UT on 15 April) and 2038 (16:45 UT on 4 April), so Vietnam
    /// keeps 24 April 2037 (not 25) and 13 April 2038 (not 14).
    static let hungKings: [(Int, String)] = [
        (2020, "2020-04-02"), (2021, "2021-04-21"), (2022, "2022-04-10"), (2023, "2023-04-29"),
        (2024, "2024-04-18"), (2025, "2025-04-07"), (2026, "2026-04-26"), (2027, "2027-04-16"),
        (2028, "2028-04-04"), (2029, "2029-04-23"), (2030, "2030-04-12"), (2031, "2031-04-01"),
        (2032, "2032-04-19"), (2033, "2033-04-09"), (2034, "2034-04-28"), (2035, "2035-04-17"),
        (2036, "2036-04-06"), (2037, "2037-04-24"), (2038, "2038-04-13"), (2039, "2039-04-03"),
        (2040, "2040-04-20"),
    ]

    @Test(arguments: tet)
    func tetFallsOnThePublishedDay(year: Int, published: String) {
        let newYear = LunarDate(year: year, month: 1, day: 1)

        let solar = VietnameseLunarCalendar.solarDate(of: newYear)
        let lunar = VietnameseLunarCalendar.lunarDate(of: Self.date(published))

        #expect(solar == Self.date(published))
        #expect(lunar == newYear)
    }

    @Test(arguments: hungKings)
    func hungKingsDayFallsOnThePublishedDay(year: Int, published: String) {
        let tenthOfThird = LunarDate(year: year, month: 3, day: 10)

        let solar = VietnameseLunarCalendar.solarDate(of: tenthOfThird)

        #expect(solar == Self.date(published))
    }

    @Test func vietnamKeepsTetBeforeChinaIn1985And2007() {
        // China's Spring Festival: 20 February 1985 (a leap month apart) and 18 February 2007.
        let years = [1985, 2007]

        let tet = years.map { VietnameseLunarCalendar.solarDate(of: LunarDate(year: $0, month: 1, day: 1)) }

        #expect(tet == [Self.date("1985-01-21"), Self.date("2007-02-17")])
    }

    @Test func newYearsEveIsThe29thFrom2025To2032() {
        // Phạm Vũ Lộc (Vietnam Space Center) in Công Luận, 21 January 2024: after the 30th of
        // Tết 2024, New Year's Eve falls on the 29th until Tết 2033.
        let tetDays = Self.tet.filter { (2024...2033).contains($0.0) }.map { Self.date($0.1) }

        let eves = tetDays.map { VietnameseLunarCalendar.lunarDate(of: $0.adding(days: -1)) }

        #expect(eves.map(\.day) == [30, 29, 29, 29, 29, 29, 29, 29, 29, 30])
        #expect(eves.allSatisfy { $0.month == 12 && !$0.isLeapMonth })
    }

    @Test func leapMonthsStartOnTheirNewMoon() {
        // Tháng 4 nhuận Canh Tý, tháng 2 nhuận Quý Mão, tháng 6 nhuận Ất Tỵ.
        let leapMonths = [
            LunarDate(year: 2020, month: 4, day: 1, isLeapMonth: true),
            LunarDate(year: 2023, month: 2, day: 1, isLeapMonth: true),
            LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true),
        ]

        let starts = leapMonths.map(VietnameseLunarCalendar.solarDate(of:))
        let backAgain = starts.compactMap { $0 }.map(VietnameseLunarCalendar.lunarDate(of:))

        #expect(starts == [Self.date("2020-05-23"), Self.date("2023-03-22"), Self.date("2025-07-25")])
        #expect(backAgain == leapMonths)
    }

    @Test func daysThatDoNotExistHaveNoSolarDate() {
        let missing = [
            LunarDate(year: 2024, month: 6, day: 1, isLeapMonth: true), // 2024 has no leap month
            LunarDate(year: 2025, month: 5, day: 1, isLeapMonth: true), // 2025's leap month is the 6th
            LunarDate(year: 2024, month: 12, day: 30), // tháng Chạp Giáp Thìn has 29 days
            LunarDate(year: 2025, month: 13, day: 1),
            LunarDate(year: 2025, month: 1, day: 0),
        ]

        let solar = missing.map(VietnameseLunarCalendar.solarDate(of:))

        #expect(solar.allSatisfy { $0 == nil })
        #expect(VietnameseLunarCalendar.solarDate(of: LunarDate(year: 2023, month: 12, day: 30)) == Self.date("2024-02-09"))
    }

    @Test func everyDayFrom2020To2040RoundTrips() {
        let days = (Self.date("2020-01-01").julianDay...Self.date("2040-12-31").julianDay).map(LocalDate.init(julianDay:))

        var mismatches: [LocalDate] = []
        var brokenSequences: [LocalDate] = []
        var leapDays = 0
        var previous = VietnameseLunarCalendar.lunarDate(of: days[0].adding(days: -1))
        for day in days {
            let lunar = VietnameseLunarCalendar.lunarDate(of: day)
            if VietnameseLunarCalendar.solarDate(of: lunar) != day { mismatches.append(day) }
            // Each day follows the previous one, or starts a month after a 29- or 30-day month.
            if !(lunar.day == previous.day + 1 || (lunar.day == 1 && (29...30).contains(previous.day))) { brokenSequences.append(day) }
            if lunar.isLeapMonth { leapDays += 1 }
            previous = lunar
        }

        #expect(mismatches.isEmpty)
        #expect(brokenSequences.isEmpty)
        // Leap months in 2020, 2023, 2025, 2028, 2031, 2033, 2036 and 2039: 29 or 30 days each.
        #expect((8 * 29...8 * 30).contains(leapDays))
    }
}
