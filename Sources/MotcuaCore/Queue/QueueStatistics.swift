import Foundation

/// A day's queue in figures for the centre's managers: one row per service, one per counter
/// and a total, as GET /api/v1/queue/statistics serves it.
///
/// The figures read the tickets as the store keeps them, which decides what they can say:
/// - `calledAt` is the latest call. A recall moves it, so a recalled ticket's wait runs to
///   its last recall and its service time from there.
/// - A transfer rewrites the ticket's service and counter and clears its call, keeping its
///   issue time. So a transferred ticket counts where it ended up, its wait runs from its
///   first issue to its call there, and "transferred away" cannot be counted.
public struct QueueStatistics: Sendable, Equatable, Encodable {
    public let day: LocalDate
    /// How late a booked ticket may be called and still count as on time.
    public let onTimeMinutes: Int
    /// In order of service id.
    public let services: [Figures]
    /// In order of counter id: the tickets called to each counter, and those transferred to
    /// it that wait for it.
    public let counters: [Figures]
    /// Every ticket of the day, with those waiting for no counter in particular.
    public let total: Figures

    /// The figures of `day`; tickets of other days are left out.
    public init(day: LocalDate, tickets: [Ticket], onTimeMinutes: Int = 10) {
        let ofTheDay = tickets.filter { $0.day == day }
        let onTimeMinutes = max(0, onTimeMinutes)
        var byCounter: [Int: [Ticket]] = [:]
        for ticket in ofTheDay {
            if let counterId = ticket.counterId { byCounter[counterId, default: []].append(ticket) }
        }
        self.day = day
        self.onTimeMinutes = onTimeMinutes
        services = Dictionary(grouping: ofTheDay, by: \.serviceId).sorted { $0.key < $1.key }.map {
            Figures(serviceId: $0.key, counterId: nil, tickets: $0.value, onTimeMinutes: onTimeMinutes)
        }
        counters = byCounter.sorted { $0.key < $1.key }.map {
            Figures(serviceId: nil, counterId: $0.key, tickets: $0.value, onTimeMinutes: onTimeMinutes)
        }
        total = Figures(serviceId: nil, counterId: nil, tickets: ofTheDay, onTimeMinutes: onTimeMinutes)
    }

    /// One row. `serviceId` or `counterId` names what it counts; the total has neither, and
    /// JSON leaves out what is absent.
    public struct Figures: Sendable, Equatable, Encodable {
        public let serviceId: String?
        public let counterId: Int?
        /// Of a service, those issued for it; of a counter, those called or transferred to it.
        /// Each is in exactly one of the four states below.
        public let tickets: Int
        /// Not called yet, or transferred and waiting to be called again.
        public let waiting: Int
        /// Called, at a counter now.
        public let beingServed: Int
        public let served: Int
        public let noShows: Int
        /// From issue to call, of every ticket called: no-shows waited too.
        public let wait: Durations
        /// From call to done, of served tickets.
        public let serviceTime: Durations
        public let ratings: Ratings
        public let bookings: Bookings

        init(serviceId: String?, counterId: Int?, tickets: [Ticket], onTimeMinutes: Int) {
            self.serviceId = serviceId
            self.counterId = counterId
            self.tickets = tickets.count
            waiting = tickets.count { $0.status == .waiting }
            beingServed = tickets.count { $0.status == .called }
            served = tickets.count { $0.status == .done }
            noShows = tickets.count { $0.status == .noShow }
            wait = Durations(seconds: tickets.compactMap { ticket in
                ticket.calledAt.map { $0.timeIntervalSince(ticket.issuedAt) }
            })
            serviceTime = Durations(seconds: tickets.filter { $0.status == .done }.compactMap { ticket in
                guard let called = ticket.calledAt, let finished = ticket.finishedAt else { return nil }
                return finished.timeIntervalSince(called)
            })
            ratings = Ratings(tickets.compactMap(\.rating))
            bookings = Bookings(tickets, onTimeMinutes: onTimeMinutes)
        }
    }

    /// How long something took, in minutes. With no durations the count is 0 and the rest
    /// absent, never 0 minutes, which would read as instant service.
    public struct Durations: Sendable, Equatable, Encodable {
        public let count: Int
        public let averageMinutes: Double?
        /// Nearest rank: nine in ten durations took this long or less.
        public let percentile90Minutes: Double?

        init(seconds: [TimeInterval]) {
            let minutes = seconds.map { $0 / 60 }.sorted()
            count = minutes.count
            averageMinutes = minutes.isEmpty ? nil : minutes.reduce(0, +) / Double(minutes.count)
            percentile90Minutes = Self.percentile(90, ofSorted: minutes)
        }

        /// The nearest-rank percentile, `p` from 1 to 100: the value at rank ⌈p·n/100⌉ (from
        /// 1) of the `n` sorted values. Always a duration that happened, never interpolated:
        /// of 10 values the 90th percentile is the 9th, of 11 the 10th, of 1 to 5 the longest.
        static func percentile(_ p: Int, ofSorted values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            // In integers: in floating point 0.07 × 100 is 7.000000000000001, whose ceiling is 8.
            let rank = (p * values.count + 99) / 100
            return values[rank - 1]
        }
    }

    /// Citizens' ratings, from 1 (not satisfied, không hài lòng) to 4 (very satisfied, rất
    /// hài lòng), the scale of POST /tickets/{id}/rating.
    public struct Ratings: Sendable, Equatable, Encodable {
        public static let scale = 1...4

        /// How many tickets got each score, every score present: `{"1": 0, …, "4": 7}` in JSON.
        public let byScore: [Int: Int]
        public let count: Int
        public let average: Double?

        init(_ scores: [Int]) {
            // The endpoint takes nothing else; a stray value would skew the average unseen.
            let onScale = scores.filter(Self.scale.contains)
            byScore = Dictionary(uniqueKeysWithValues: Self.scale.map { score in (score, onScale.count { $0 == score }) })
            count = onScale.count
            average = onScale.isEmpty ? nil : Double(onScale.reduce(0, +)) / Double(onScale.count)
        }
    }

    /// Whether checked-in bookings were called on time: by `onTimeMinutes` after the booked
    /// start at the latest, that minute included; a call before the booked start is on time.
    /// Only tickets that kept their booked start count (`Ticket.bookedStart`): those that
    /// joined as walk-ins gave it up.
    public struct Bookings: Sendable, Equatable, Encodable {
        /// Booked tickets called so far; those still waiting are left out, as they may yet be
        /// called on time.
        public let called: Int
        public let onTime: Int
        /// `onTime / called`, from 0 to 1.
        public let onTimeRate: Double?

        init(_ tickets: [Ticket], onTimeMinutes: Int) {
            let delays = tickets.compactMap { ticket in
                ticket.bookedStart.flatMap { start in ticket.calledAt.map { $0.timeIntervalSince(start) } }
            }
            called = delays.count
            onTime = delays.count { $0 <= Double(onTimeMinutes) * 60 }
            onTimeRate = delays.isEmpty ? nil : Double(onTime) / Double(called)
        }
    }
}
