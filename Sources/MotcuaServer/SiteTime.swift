import Foundation
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
struct SlotView: Encodable, Sendable {
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
