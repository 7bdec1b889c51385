import Foundation
import Synchronization

/// Which days a site works: weekly rest days, the statutory holidays, the yearly notices and
/// the site's own closures, with nghỉ bù for statutory holidays on a weekly rest day.
///
/// Each year is worked out once, on first use, into a table of days off, so `isWorkingDay`
/// is a lookup. Copies share the tables.
public struct WorkingCalendar: Sendable {
    public let restDays: Set<Weekday>
    public let statutory: StatutoryHolidays
    public let notices: [HolidayNotice]
    /// The site whose closures apply; a calendar without a site ignores closures.
    public let site: String?
    private let years = YearTables()

    public init(
        restDays: Set<Weekday> = [.saturday, .sunday], statutory: StatutoryHolidays = StatutoryHolidays(),
        notices: [HolidayNotice] = [], site: String? = nil
    ) {
        precondition(restDays.count < Weekday.allCases.count, "a calendar needs at least one working weekday")
        self.restDays = restDays
        self.statutory = statutory
        self.notices = notices
        self.site = site
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        !table(for: date.year).isOff(date)
    }

    /// The year's days off other than plain weekly rest days, with names, sorted by date:
    /// statutory holidays (also those on a rest day), make-up days, the notices' days off and
    /// the site's closures.
    public func holidays(in year: Int) -> [Holiday] {
        table(for: year).holidays
    }

    public func nextWorkingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while !isWorkingDay(day) {
            day = day.adding(days: 1)
        }
        return day
    }

    /// The `n`-th working day after `date` (before it, for negative `n`), not counting `date`
    /// itself; `date` unchanged when `n` is 0.
    public func addingWorkingDays(_ n: Int, to date: LocalDate) -> LocalDate {
        let step = n < 0 ? -1 : 1
        var day = date
        var remaining = abs(n)
        while remaining > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) {
                remaining -= 1
            }
        }
        return day
    }

    /// The working day a dossier counts as received on: the local day of `receivedAt`, or the
    /// next working day when that day is not a working day or the dossier came at or after
    /// `cutoff`. Times count from local midnight, exact for zones without daylight saving
    /// (Asia/Ho_Chi_Minh has none).
    public func receptionDay(receivedAt: Date, in timeZone: TimeZone, cutoff: TimeOfDay? = nil) -> LocalDate {
        let day = LocalDate(receivedAt, in: timeZone)
        guard isWorkingDay(day) else { return nextWorkingDay(onOrAfter: day) }
        if let cutoff, receivedAt >= day.start(in: timeZone).addingTimeInterval(TimeInterval(cutoff.minutes * 60)) {
            return addingWorkingDays(1, to: day)
        }
        return day
    }

    /// The due date (ngày hẹn trả) of a dossier that takes `workingDays` working days.
    ///
    /// Convention of the one-stop desks: the day of receipt does not count; processing day 1
    /// is the first working day after it, and the dossier is due on the `workingDays`-th
    /// working day after the reception day (see `receptionDay`). With no holiday: 3 working
    /// days from Monday 09:00 is due Thursday; from Monday 16:00 with a 15:00 cut-off, Friday;
    /// from a Saturday or Sunday, Thursday.
    public func dueDate(receivedAt: Date, workingDays: Int, in timeZone: TimeZone, cutoff: TimeOfDay? = nil) -> LocalDate {
        precondition(workingDays >= 0, "a processing time cannot be negative")
        return addingWorkingDays(workingDays, to: receptionDay(receivedAt: receivedAt, in: timeZone, cutoff: cutoff))
    }

    private func table(for year: Int) -> YearTable {
        years.table(for: year) { YearTable(year: $0, calendar: self) }
    }
}

/// One year's days off, indexed by day of the year.
private struct YearTable: Sendable {
    let firstDay: Int
    let off: [Bool]
    let holidays: [Holiday]

    func isOff(_ date: LocalDate) -> Bool {
        off[date.julianDay - firstDay]
    }

    init(year: Int, calendar: WorkingCalendar) {
        let firstDay = LocalDate.julianDay(year: year, month: 1, day: 1)
        var off = (firstDay..<LocalDate.julianDay(year: year + 1, month: 1, day: 1)).map {
            calendar.restDays.contains(LocalDate(julianDay: $0).weekday)
        }
        func index(_ date: LocalDate) -> Int? {
            date.year == year ? date.julianDay - firstDay : nil
        }

        let removed = Set(calendar.notices.flatMap(\.removed))
        let statutory = calendar.statutory.holidays(in: year).filter { !removed.contains($0.date) }
        let declared = calendar.notices.flatMap { notice in
            notice.daysOff.map { Holiday(date: $0.date, name: $0.name, nameEn: $0.nameEn ?? "Day off", kind: .notice) }
                + notice.swaps.map { swap in
                    Holiday(
                        date: swap.off, name: "Nghỉ hoán đổi, làm bù ngày \(swap.worked.vietnamese)",
                        nameEn: "Day off, worked instead on \(swap.worked.iso)", kind: .notice
                    )
                }
        }
        let closures = calendar.notices.flatMap(\.closures).filter { $0.site == calendar.site }.map {
            Holiday(date: $0.date, name: $0.reason, nameEn: "Site closed", kind: .closure)
        }

        for swap in calendar.notices.flatMap(\.swaps) {
            if let i = index(swap.worked) { off[i] = false }
        }
        var holidays: [Holiday] = []
        var named = Set<LocalDate>()
        for holiday in statutory + declared + closures {
            guard let i = index(holiday.date), named.insert(holiday.date).inserted else { continue }
            off[i] = true
            holidays.append(holiday)
        }
        // Nghỉ bù, in date order so two holidays on one weekend take successive days. The
        // statutory days all end by early September, so the make-up day stays in the year.
        for holiday in statutory where calendar.restDays.contains(holiday.date.weekday) {
            guard var i = index(holiday.date) else { continue }
            repeat { i += 1 } while i < off.count && off[i]
            guard i < off.count else { continue }
            off[i] = true
            holidays.append(Holiday(
                date: LocalDate(julianDay: firstDay + i), name: "Nghỉ bù \(holiday.name)", nameEn: "Day off in lieu of \(holiday.nameEn)",
                kind: .compensatory
            ))
        }

        self.firstDay = firstDay
        self.off = off
        self.holidays = holidays.sorted { $0.date < $1.date }
    }
}

/// The lazily built year tables of one calendar and its copies.
private final class YearTables: Sendable {
    private let tables = Mutex<[Int: YearTable]>([:])

    func table(for year: Int, build: (Int) -> YearTable) -> YearTable {
        tables.withLock { tables in
            if let table = tables[year] { return table }
            let table = build(year)
            tables[year] = table
            return table
        }
    }
}
