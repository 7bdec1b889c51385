import Foundation

/// A day of the week, in ISO order (Monday first). Written in files as its English name.
public enum Weekday: String, CaseIterable, Codable, Sendable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// ISO 8601 number: Monday 1 … Sunday 7.
    public var isoNumber: Int { Weekday.allCases.firstIndex(of: self)! + 1 }
}

/// A civil date on the wall calendar, with no time zone: the day a dossier is due, the day a
/// holiday falls on. Proleptic Gregorian, years 1–9999. Arithmetic goes through the Julian
/// day number, so it is plain integer work.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The date whose Julian day number (days since 1 January 4713 BC, Julian calendar) is
    /// `julianDay`. 2451545 is 2000-01-01.
    public init(julianDay: Int) {
        // Richards' algorithm for the Gregorian calendar.
        let f = julianDay + 1401 + (((4 * julianDay + 274277) / 146097) * 3) / 4 - 38
        let e = 4 * f + 3
        let h = 5 * ((e % 1461) / 4) + 2
        day = (h % 153) / 5 + 1
        month = (h / 153 + 2) % 12 + 1
        year = e / 1461 - 4716 + (14 - month) / 12
    }

    /// The site-local date of an instant.
    public init(_ date: Date, in timeZone: TimeZone) {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        self.init(julianDay: LocalDate.unixEpochJulianDay + local.floorDivided(by: 86_400))
    }

    public var julianDay: Int { LocalDate.julianDay(year: year, month: month, day: day) }

    /// The Julian day number of any Gregorian year, month and day, checked or not.
    static func julianDay(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    public var iso: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public var description: String { iso }

    /// As Vietnamese forms write a date: "03/02/2027".
    public var vietnamese: String {
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(twoDigits(day))/\(twoDigits(month))/\(year)"
    }

    /// Julian day numbers count from a Monday, so the remainder is the ISO weekday index.
    public var weekday: Weekday { Weekday.allCases[julianDay % 7] }

    public func adding(days: Int) -> LocalDate {
        LocalDate(julianDay: julianDay + days)
    }

    /// Days from this date to `other`: positive when `other` is later.
    public func days(to other: LocalDate) -> Int {
        other.julianDay - julianDay
    }

    /// The first instant of this date on the site's wall clock (local midnight, or the first
    /// valid time when a clock change skips midnight).
    public func start(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Local noon is always inside the day, whatever the zone's offset does at midnight.
        let localNoon = (julianDay - LocalDate.unixEpochJulianDay) * 86_400 + 43_200
        let noonGuess = Date(timeIntervalSince1970: TimeInterval(localNoon))
        let noon = noonGuess.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: noonGuess)))
        return calendar.startOfDay(for: noon)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DD, got \"\(text)\""))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    static let unixEpochJulianDay = 2_440_588

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Int {
    /// Division rounding towards minus infinity, so instants before 1970 land on the right day.
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
