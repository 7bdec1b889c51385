import Foundation

/// A date of the Vietnamese lunisolar calendar (âm lịch). `year` is the Gregorian year in
/// which the lunar year begins, so Tết of lunar year 2026 is 1/1/2026.
public struct LunarDate: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// A repeated (intercalary) month, tháng nhuận, carrying the number of the month before it.
    public var isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }
}

/// The Vietnamese lunar calendar, computed astronomically for the UTC+7 meridian, after
/// Hồ Ngọc Đức's published algorithm (https://www.informatik.uni-leipzig.de/~duc/amlich/).
/// A month begins on the local day of the new moon; month 11 holds the winter solstice; in a
/// 13-month year the first month without a major solar term is the leap month. Computing at
/// UTC+7 rather than UTC+8 is what makes Tết differ from China's in some years (1985, 2007,
/// 2030).
public enum VietnameseLunarCalendar {
    static let timeZoneHours = 7.0

    public static func lunarDate(of date: LocalDate) -> LunarDate {
        let dayNumber = date.julianDay
        let k = floor((Double(dayNumber) - 2415021.076998695) / synodicMonth)
        var monthStart = newMoonDay(k + 1)
        if monthStart > dayNumber {
            monthStart = newMoonDay(k)
        }
        var a11 = lunarMonth11(of: date.year)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = date.year
            a11 = lunarMonth11(of: date.year - 1)
        } else {
            lunarYear = date.year + 1
            b11 = lunarMonth11(of: date.year + 1)
        }
        let monthsAfter11 = (monthStart - a11) / 29
        var month = monthsAfter11 + 11
        var isLeapMonth = false
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(after: a11)
            if monthsAfter11 >= leapOffset {
                month = monthsAfter11 + 10
                isLeapMonth = monthsAfter11 == leapOffset
            }
        }
        if month > 12 {
            month -= 12
        }
        if month >= 11 && monthsAfter11 < 4 {
            lunarYear -= 1
        }
        return LunarDate(year: lunarYear, month: month, day: dayNumber - monthStart + 1, isLeapMonth: isLeapMonth)
    }

    /// The solar date of `lunar`, or nil when no such day exists: a leap month the year does
    /// not have, or day 30 of a 29-day month.
    public static func solarDate(of lunar: LunarDate) -> LocalDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day), (1...9998).contains(lunar.year) else { return nil }
        let (a11, b11) = lunar.month < 11
            ? (lunarMonth11(of: lunar.year - 1), lunarMonth11(of: lunar.year))
            : (lunarMonth11(of: lunar.year), lunarMonth11(of: lunar.year + 1))
        var offset = (lunar.month + 1) % 12 // months after month 11
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(after: a11)
            // The leap month repeats the month just before it.
            let leapMonth = (leapOffset + 9) % 12 + 1
            if lunar.isLeapMonth && lunar.month != leapMonth { return nil }
            if lunar.isLeapMonth || offset >= leapOffset { offset += 1 }
        } else if lunar.isLeapMonth {
            return nil
        }
        let k = floor(0.5 + (Double(a11) - 2415021.076998695) / synodicMonth)
        let monthStart = newMoonDay(k + Double(offset))
        guard lunar.day <= newMoonDay(k + Double(offset + 1)) - monthStart else { return nil }
        return LocalDate(julianDay: monthStart + lunar.day - 1)
    }

    // MARK: Astronomy

    private static let synodicMonth = 29.530588853
    private static let radiansPerDegree = Double.pi / 180

    /// Julian day (fractional, UT) of the k-th new moon after 1900-01-01, Meeus' method
    /// with the terms the published algorithm keeps.
    private static func newMoon(_ k: Double) -> Double {
        let t = k / 1236.85
        let t2 = t * t, t3 = t2 * t
        let dr = radiansPerDegree
        var jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3 // Sun's mean anomaly
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3 // Moon's mean anomaly
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3 // Moon's argument of latitude
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2
        return jd + c1 - deltaT
    }

    /// The Sun's apparent longitude, in radians within [0, 2π), at Julian day `jdn` (UT).
    private static func sunLongitude(_ jdn: Double) -> Double {
        let t = (jdn - 2451545.0) / 36525
        let t2 = t * t
        let dr = radiansPerDegree
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        let l = (l0 + dl) * dr
        return l - 2 * .pi * floor(l / (2 * .pi))
    }

    /// The local day number of the k-th new moon.
    private static func newMoonDay(_ k: Double) -> Int {
        Int(floor(newMoon(k) + 0.5 + timeZoneHours / 24))
    }

    /// Which of the twelve 30° sectors (major solar terms) the Sun is in at the start of a local day.
    private static func sunSector(onDay dayNumber: Int) -> Int {
        Int(floor(sunLongitude(Double(dayNumber) - 0.5 - timeZoneHours / 24) / .pi * 6))
    }

    /// The first day of the lunar month 11 (the month of the winter solstice) that starts in `year`.
    private static func lunarMonth11(of year: Int) -> Int {
        let offset = Double(LocalDate.julianDay(year: year, month: 12, day: 31) - 2415021)
        let k = floor(offset / synodicMonth)
        let newMoon = newMoonDay(k)
        return sunSector(onDay: newMoon) >= 9 ? newMoonDay(k - 1) : newMoon
    }

    /// Months after month 11 at which the leap month sits: the first month during which the
    /// Sun stays in one sector (no major term).
    private static func leapMonthOffset(after a11: Int) -> Int {
        let k = floor((Double(a11) - 2415021.076998695) / synodicMonth + 0.5)
        var i = 1
        var sector = sunSector(onDay: newMoonDay(k + 1))
        var last: Int
        repeat {
            last = sector
            i += 1
            sector = sunSector(onDay: newMoonDay(k + Double(i)))
        } while sector != last && i < 14
        return i - 1
    }
}
