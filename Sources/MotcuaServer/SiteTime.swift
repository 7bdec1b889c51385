import Foundation
import HummingbirdCore
import MotcuaCore

/// Renders and reads times on the wire in the site's zone: instants as ISO 8601 with the
/// site's offset, dates as YYYY-MM-DD local to the site.
struct SiteTime: Sendable {
    let timeZone: TimeZone
    private let format: Date.ISO8601FormatStyle

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        // The separator must be explicit: the default writes "+0700", the contract says "+07:00".
        format = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone)
    }

    func string(_ date: Date) -> String {
        date.formatted(format)
    }

    /// The `from` and `to` dates of a query, `to` on or after `from` and, when a query must
    /// stay cheap, at most `maximumDays` days on.
    func dateRange(_ query: FlatDictionary<Substring, Substring>, maximumDays: Int? = nil) throws -> (from: LocalDate, to: LocalDate) {
        let from = try date(query["from"].map(String.init), field: "from")
        let to = try date(query["to"].map(String.init), field: "to")
        guard from <= to else { throw APIError.invalid("to", vi: "to phải từ from trở đi.", en: "to must be on or after from.") }
        if let maximumDays, from.days(to: to) >= maximumDays {
            throw APIError.invalid(
                "to", vi: "to không được quá \(maximumDays) ngày sau from.", en: "to must be at most \(maximumDays) days after from."
            )
        }
        return (from, to)
    }

    /// An instant as `string` writes it. Only a centre's answer at a site can be unreadable,
    /// and then its calendar counts as out of reach.
    func instant(_ text: String) throws -> Date {
        guard let date = try? format.parse(text) else { throw APIError.calendarUnavailable }
        return date
    }

    /// "09:00, 01/03/2027": a moment as Vietnamese papers write it, in the site's zone.
    func onPaper(_ date: Date) -> String {
        "\(clockTime(date)), \(dayOnPaper(date))"
    }

    /// "09:00".
    func clockTime(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// "01/03/2027".
    func dayOnPaper(_ date: Date) -> String {
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        return String(format: "%02d/%02d/%04d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0)
    }

    /// "Thứ Hai, 01/03/2027".
    func weekdayAndDay(_ date: Date) -> String {
        let names = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"]
        return "\(names[calendar.component(.weekday, from: date) - 1]), \(dayOnPaper(date))"
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Parses a `YYYY-MM-DD` query parameter, or explains what is wrong with it.
    func date(_ text: String?, field: String) throws -> LocalDate {
        guard let text, let date = LocalDate(iso: text) else {
            throw APIError.invalid(
                field,
                vi: "\(field) phải là ngày dạng YYYY-MM-DD.",
                en: "\(field) must be a date written YYYY-MM-DD."
            )
        }
        return date
    }
}

/// A slot on the wire, its times in the site's zone.
struct SlotView: Codable, Sendable {
    let id: Int64
    let serviceId: String
    let start: String
    let end: String
    let capacity: Int
    let booked: Int
    let available: Int

    init(_ slot: Slot, _ siteTime: SiteTime) {
        id = slot.id
        serviceId = slot.serviceId
        start = siteTime.string(slot.start)
        end = siteTime.string(slot.end)
        capacity = slot.capacity
        booked = slot.booked
        available = slot.available
    }
}
