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
/// equal length, each taking `capacity` people. Some offices also receive on Saturday
/// morning: `saturdaySessions` opens Saturdays that are not holidays, while Saturday stays a
/// rest day for counting processing time.
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
    public var saturdaySessions: [Session]
    public var slotMinutes: Int
    public var capacity: Int

    public init(sessions: [Session], saturdaySessions: [Session] = [], slotMinutes: Int, capacity: Int) {
        self.sessions = sessions
        self.saturdaySessions = saturdaySessions
        self.slotMinutes = slotMinutes
        self.capacity = capacity
    }

    enum CodingKeys: String, CodingKey {
        case sessions, saturdaySessions, slotMinutes, capacity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            sessions: try container.decode([Session].self, forKey: .sessions),
            saturdaySessions: try container.decodeIfPresent([Session].self, forKey: .saturdaySessions) ?? [],
            slotMinutes: try container.decode(Int.self, forKey: .slotMinutes),
            capacity: try container.decode(Int.self, forKey: .capacity)
        )
    }

    /// The slot windows of `date` under `calendar`: the weekday sessions on a working day,
    /// the Saturday sessions on a Saturday that is no holiday, none otherwise.
    public func windows(on date: LocalDate, in timeZone: TimeZone, calendar: WorkingCalendar) -> [(start: Date, end: Date)] {
        if calendar.isWorkingDay(date) {
            return windows(of: sessions, on: date, in: timeZone)
        }
        if date.weekday == .saturday, !saturdaySessions.isEmpty, !calendar.holidays(in: date.year).contains(where: { $0.date == date }) {
            return windows(of: saturdaySessions, on: date, in: timeZone)
        }
        return []
    }

    /// The slot windows of `date` as instants. A session's tail shorter than a slot is not
    /// offered. Times are counted from local midnight, which is exact for zones without
    /// daylight saving (Asia/Ho_Chi_Minh has had none since 1975).
    func windows(of sessions: [Session], on date: LocalDate, in timeZone: TimeZone) -> [(start: Date, end: Date)] {
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
