import Foundation

/// A day off with its name, as the calendar reports it.
public struct Holiday: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A public holiday of the Labour Code, computed for the year.
        case statutory
        /// Nghỉ bù: the working day that makes up for a statutory holiday on a weekly rest day.
        case compensatory
        /// Declared by the yearly notice, including the weekday given off in a swap.
        case notice
        /// The site alone is closed.
        case closure
    }

    public var date: LocalDate
    /// Vietnamese, NFC.
    public var name: String
    public var nameEn: String
    public var kind: Kind

    public init(date: LocalDate, name: String, nameEn: String, kind: Kind) {
        self.date = date
        self.name = name.precomposedStringWithCanonicalMapping
        self.nameEn = nameEn
        self.kind = kind
    }
}

/// The public holidays of the Labour Code 2019, art. 112, as they fall by default. The
/// government fixes the exact Tết days and the day next to National Day each year; a
/// `HolidayNotice` carries that decision and overrides these defaults.
public struct StatutoryHolidays: Sendable, Equatable {
    /// How many of Tết's five days come before lunar New Year's day, 0–5. The default, 1,
    /// gives the last day of the lunar year (giao thừa, 29 or 30 tháng Chạp) and lunar
    /// 1/1–1/4. Real notices have put one or two days before 1/1, which is why the notice
    /// states each year's exact days.
    public var tetDaysBeforeNewYear: Int

    public init(tetDaysBeforeNewYear: Int = 1) {
        precondition((0...5).contains(tetDaysBeforeNewYear), "Tết has five days; at most five can precede 1/1")
        self.tetDaysBeforeNewYear = tetDaysBeforeNewYear
    }

    /// The year's statutory holidays, sorted by date.
    public func holidays(in year: Int) -> [Holiday] {
        guard let newYearsDay = LocalDate(year: year, month: 1, day: 1),
              let tet = VietnameseLunarCalendar.solarDate(of: LunarDate(year: year, month: 1, day: 1)),
              let hungKings = VietnameseLunarCalendar.solarDate(of: LunarDate(year: year, month: 3, day: 10)) else { return [] }
        func holiday(_ date: LocalDate, _ name: String, _ nameEn: String) -> Holiday {
            Holiday(date: date, name: name, nameEn: nameEn, kind: .statutory)
        }
        let tetDays = (0..<5).map { tet.adding(days: $0 - tetDaysBeforeNewYear) }.map { day in
            let lunar = VietnameseLunarCalendar.lunarDate(of: day)
            let label = lunar.month == 1 ? "mùng \(lunar.day) tháng Giêng" : "\(lunar.day) tháng Chạp"
            return holiday(day, "Tết Nguyên Đán (\(label))", "Lunar New Year (Tết), lunar \(lunar.day)/\(lunar.month)")
        }
        let nationalDay = LocalDate(year: year, month: 9, day: 2)!
        return ([
            holiday(newYearsDay, "Tết Dương lịch", "New Year's Day"),
            holiday(hungKings, "Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day"),
            holiday(LocalDate(year: year, month: 4, day: 30)!, "Ngày Chiến thắng", "Reunification Day"),
            holiday(LocalDate(year: year, month: 5, day: 1)!, "Ngày Quốc tế Lao động", "International Labour Day"),
            holiday(nationalDay, "Quốc khánh", "National Day"),
            holiday(Self.dayNextToNationalDay(nationalDay), "Quốc khánh (ngày liền kề)", "National Day (adjacent day)"),
        ] + tetDays).sorted { $0.date < $1.date }
    }

    /// The law grants 2 September "and one day immediately before or after". Default: the
    /// neighbour that is a weekday (Monday–Friday); when both are, the one touching a
    /// weekend, so the break joins the weekend; on a Wednesday, the day after. This matches
    /// the notices for 2021–2025 (3 Sep 2021, 1 Sep 2022, 1 Sep 2023, 3 Sep 2024, 1 Sep 2025).
    static func dayNextToNationalDay(_ nationalDay: LocalDate) -> LocalDate {
        func isWeekend(_ day: LocalDate) -> Bool { day.weekday == .saturday || day.weekday == .sunday }
        let weekdayNeighbours = [nationalDay.adding(days: 1), nationalDay.adding(days: -1)].filter { !isWeekend($0) }
        return weekdayNeighbours.first { isWeekend($0.adding(days: 1)) || isWeekend($0.adding(days: -1)) } ?? weekdayNeighbours[0]
    }
}

/// The government's yearly arrangement of days off, kept by a manager as a data file. Every
/// entry acts on its own date, so a notice for 2019 may swap a day in December 2018.
///
/// How it is applied (see `WorkingCalendar`): start from the statutory holidays, drop the
/// `removed` dates, add `daysOff`, give the weekday of each swap off and make its worked day a
/// working day, close the site on its `closures`; then a statutory holiday still on a weekly
/// rest day is made up on the next working day. Days the notice declares get no make-up day:
/// the notice already states the whole break. To pin Tết exactly, remove the computed Tết
/// days and list the notice's days.
public struct HolidayNotice: Sendable, Codable, Equatable {
    /// An extra day off for everyone.
    public struct DayOff: Sendable, Codable, Equatable {
        public var date: LocalDate
        public var name: String
        public var nameEn: String?

        public init(date: LocalDate, name: String, nameEn: String? = nil) {
            self.date = date
            self.name = name
            self.nameEn = nameEn
        }
    }

    /// A weekday given off in exchange for working a weekly rest day, usually a Saturday
    /// (hoán đổi ngày làm việc).
    public struct Swap: Sendable, Codable, Equatable {
        public var worked: LocalDate
        public var off: LocalDate

        public init(worked: LocalDate, off: LocalDate) {
            self.worked = worked
            self.off = off
        }
    }

    /// One site closed for a day (a move, an election, a flood).
    public struct Closure: Sendable, Codable, Equatable {
        public var date: LocalDate
        public var site: String
        public var reason: String

        public init(date: LocalDate, site: String, reason: String) {
            self.date = date
            self.site = site
            self.reason = reason
        }
    }

    public var year: Int
    public var daysOff: [DayOff]
    /// Computed statutory holidays that are not days off this year.
    public var removed: [LocalDate]
    public var swaps: [Swap]
    public var closures: [Closure]

    public init(year: Int, daysOff: [DayOff] = [], removed: [LocalDate] = [], swaps: [Swap] = [], closures: [Closure] = []) {
        self.year = year
        self.daysOff = daysOff
        self.removed = removed
        self.swaps = swaps
        self.closures = closures
    }

    private enum CodingKeys: String, CodingKey {
        case year, daysOff, removed, swaps, closures
    }

    /// A manager writes only the lists the year needs; absent ones are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            year: try container.decode(Int.self, forKey: .year),
            daysOff: try container.decodeIfPresent([DayOff].self, forKey: .daysOff) ?? [],
            removed: try container.decodeIfPresent([LocalDate].self, forKey: .removed) ?? [],
            swaps: try container.decodeIfPresent([Swap].self, forKey: .swaps) ?? [],
            closures: try container.decodeIfPresent([Closure].self, forKey: .closures) ?? []
        )
    }
}
