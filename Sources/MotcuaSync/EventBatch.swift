import Foundation
import MotcuaStore

/// `POST /api/v1/sync/events`: a site's outbox events, oldest first. The centre stores each
/// event once by its `id`, so a batch can be sent any number of times.
public struct EventBatch: Codable, Sendable, Equatable {
    public struct Event: Codable, Sendable, Equatable {
        /// The idempotency key.
        public let id: String
        /// The event's place in the site's outbox: strictly increasing within a batch.
        public let seq: Int64
        public let kind: String
        /// The event's JSON as the site wrote it, kept as text so the centre stores it byte
        /// for byte.
        public let payload: String
        /// UTC, ISO 8601 with milliseconds.
        public let occurredAt: String

        public init(id: String, seq: Int64, kind: String, payload: String, occurredAt: String) {
            self.id = id
            self.seq = seq
            self.kind = kind
            self.payload = payload
            self.occurredAt = occurredAt
        }
    }

    public let site: String
    public let events: [Event]

    public init(site: String, events: [Event]) {
        self.site = site
        self.events = events
    }

    /// The batch of `events` from the outbox.
    public init(site: String, outbox events: [OutboxEvent]) {
        self.init(site: site, events: events.map {
            Event(id: $0.eventId, seq: $0.id ?? 0, kind: $0.kind, payload: $0.payload, occurredAt: Self.timestamp($0.occurredAt))
        })
    }

    public static let maximumEvents = 1_000

    private static let seconds = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// "2027-03-01T02:00:00.123Z". Milliseconds are rounded here, not truncated by the
    /// formatter, which would turn .123 (not exact in binary) into .122.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (whole, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let text = Date(timeIntervalSince1970: TimeInterval(whole) - (fraction < 0 ? 1 : 0)).formatted(seconds)
        let digits = String((fraction + 1000) % 1000)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    public static func date(_ timestamp: String) -> Date? {
        guard let date = try? fractional.parse(timestamp) else { return nil }
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

/// The centre's answer to a batch.
public struct BatchReceipt: Codable, Sendable, Equatable {
    public let accepted: Int
    public let duplicates: Int
    /// The highest outbox position the centre holds from the site.
    public let cursor: Int64

    public init(accepted: Int, duplicates: Int, cursor: Int64) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.cursor = cursor
    }
}
