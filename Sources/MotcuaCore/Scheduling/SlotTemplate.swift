import Foundation

/// A time of day on the site's wall clock, written "07:30".
public struct TimeOfDay: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minutes: Int

    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        minutes = hour * 60 + minute
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String {
        let hh = minutes / 60, mm = minutes % 60
        return (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = TimeOfDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected HH:MM, got \"\(text)\""))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// How a resource opens on a working day: sessions (morning, afternoon) cut into slots of
/// equal length, each taking `capacity` people.
public struct SlotTemplate: Codable, Sendable, Equatable {
    public struct Session: Codable, Sendable, Equatable {
        public var start: TimeOfDay
        public var end: TimeOfDay

        public init(start: TimeOfDay, end: TimeOfDay) {
            self.start = start
            self.end = end
        }
    }

    public var sessions: [Session]
    public var slotMinutes: Int
    public var capacity: Int

    public init(sessions: [Session], slotMinutes: Int, capacity: Int) {
        self.sessions = sessions
        self.slotMinutes = slotMinutes
        self.capacity = capacity
    }

    /// The slot windows of `date` as instants. A session's tail shorter than a slot is not
    /// offered. Times are counted from local midnight, which is exact for zones without
    /// daylight saving (Asia/Ho_Chi_Minh has had none since 1975).
    public func windows(on date: LocalDate, in timeZone: TimeZone) -> [(start: Date, end: Date)] {
        guard slotMinutes > 0 else { return [] }
        let midnight = date.start(in: timeZone)
        return sessions.flatMap { session in
            stride(from: session.start.minutes, through: session.end.minutes - slotMinutes, by: slotMinutes).map { minute in
                let start = midnight.addingTimeInterval(TimeInterval(minute * 60))
                return (start, start.addingTimeInterval(TimeInterval(slotMinutes * 60)))
            }
        }
    }
}
