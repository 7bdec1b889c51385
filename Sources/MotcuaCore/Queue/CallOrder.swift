import Foundation

/// A waiting ticket, as the call order sees it.
public struct QueueEntry: Sendable, Equatable {
    public var id: Int64
    public var serviceId: String
    /// When the ticket was first issued; kept across transfers, so a transferred citizen
    /// does not lose their place in time.
    public var issuedAt: Date
    public var priority: PriorityCategory?
    /// Set for a booking checked in with its booked time kept (on time, or early under
    /// `.waitForSlot`); nil for walk-ins and for bookings that joined as walk-ins.
    public var bookedStart: Date?
    /// A ticket transferred to a specific counter is called only there.
    public var transferredToCounter: Int?

    public init(
        id: Int64, serviceId: String, issuedAt: Date, priority: PriorityCategory? = nil,
        bookedStart: Date? = nil, transferredToCounter: Int? = nil
    ) {
        self.id = id
        self.serviceId = serviceId
        self.issuedAt = issuedAt
        self.priority = priority
        self.bookedStart = bookedStart
        self.transferredToCounter = transferredToCounter
    }
}

/// What the fairness rule remembers between calls. The store keeps one per counter (each
/// counter then interleaves on its own) and passes it back with every call.
public struct FairnessHistory: Sendable, Equatable, Codable {
    /// Non-priority tickets called since the last priority ticket; nil until a priority
    /// ticket has been called, so the first one of the day need not wait its turn.
    public let regularCallsSincePriority: Int?

    public init(regularCallsSincePriority: Int? = nil) {
        self.regularCallsSincePriority = regularCallsSincePriority
    }

    /// The history after `called` was called, by `nextToCall` or picked by the officer.
    public func recording(_ called: QueueEntry) -> FairnessHistory {
        called.priority != nil
            ? FairnessHistory(regularCallsSincePriority: 0)
            : FairnessHistory(regularCallsSincePriority: regularCallsSincePriority.map { $0 + 1 })
    }
}

extension QueuePolicy.Fairness {
    /// Whether a waiting priority ticket may be called now, given that other tickets wait too.
    func allowsPriorityCall(after history: FairnessHistory) -> Bool {
        switch self {
        case .strict: true
        // Before the day's first priority call nothing is owed to the others.
        case .onePriorityPer(let regular): history.regularCallsSincePriority.map { $0 >= regular } ?? true
        }
    }
}

/// A waiting ticket's place in one counter's call order: cases in the order below, then
/// within a case by the values, in order (the id breaks ties, so the order is total).
enum Turn: Comparable {
    /// Priority tickets, first come first served.
    case priority(issuedAt: Date, id: Int64)
    /// Tickets an officer transferred to this counter, by original issue time: the citizen
    /// has already waited once and was sent here by name.
    case transferredHere(issuedAt: Date, id: Int64)
    /// Checked-in bookings that are due, earliest booked start first.
    case bookingDue(bookedStart: Date, id: Int64)
    /// Everybody else, first come first served: walk-ins and bookings not yet due.
    case inArrivalOrder(issuedAt: Date, id: Int64)
}

extension QueuePolicy {
    /// The ticket a counter calls next, or nil when none waits for it.
    ///
    /// 1. The counter sees only tickets of the services it serves, plus tickets transferred
    ///    to it by name (whatever their service); a ticket transferred to another counter is
    ///    not its to call.
    /// 2. Priority tickets come first, first come first served — unless the fairness rule
    ///    says other tickets are owed a call (`.onePriorityPer`) and some wait.
    /// 3. Then tickets transferred to this counter, by original issue time.
    /// 4. Then checked-in bookings that are due (`bookedStart − dueLeadMinutes ≤ now`),
    ///    earliest booked start first.
    /// 5. Then first come first served by issue time.
    ///
    /// Equal times go to the lower id, the ticket issued first. The store records the call
    /// with `history.recording(called)`.
    public func nextToCall(
        waiting: [QueueEntry], counterId: Int, counterServices: Set<String>, now: Date, history: FairnessHistory
    ) -> QueueEntry? {
        let mine = waiting.filter { entry in
            entry.transferredToCounter.map { $0 == counterId } ?? counterServices.contains(entry.serviceId)
        }
        let othersWait = mine.contains { $0.priority == nil }
        let priorityMayGo = !othersWait || fairness.allowsPriorityCall(after: history)
        return mine
            .filter { priorityMayGo || $0.priority == nil }
            .min { turn(of: $0, atCounter: counterId, now: now) < turn(of: $1, atCounter: counterId, now: now) }
    }

    /// Where `ticket` stands in its line (1 = next), for the ticket slip and the wait
    /// estimate: 1 + the waiting tickets of its line that come before it in the call order
    /// above. Its line is its service, or the counter it was transferred to. It counts every
    /// waiting priority ticket as ahead, which is exact under `.strict` for counters serving
    /// that one line; otherwise it is an estimate (under `.onePriorityPer` some others go
    /// first), and tickets issued later may still be put ahead.
    public func position(of ticket: QueueEntry, among waiting: [QueueEntry], now: Date) -> Int {
        let line = waiting.filter { other in
            other.id != ticket.id && other.transferredToCounter == ticket.transferredToCounter
                && (ticket.transferredToCounter != nil || other.serviceId == ticket.serviceId)
        }
        let mine = turn(of: ticket, atCounter: ticket.transferredToCounter, now: now)
        return 1 + line.count(where: { turn(of: $0, atCounter: ticket.transferredToCounter, now: now) < mine })
    }

    func turn(of entry: QueueEntry, atCounter counterId: Int?, now: Date) -> Turn {
        if entry.priority != nil {
            return .priority(issuedAt: entry.issuedAt, id: entry.id)
        }
        if let counter = entry.transferredToCounter, counter == counterId {
            return .transferredHere(issuedAt: entry.issuedAt, id: entry.id)
        }
        if let start = entry.bookedStart, start.addingTimeInterval(-Double(dueLeadMinutes) * 60) <= now {
            return .bookingDue(bookedStart: start, id: entry.id)
        }
        return .inArrivalOrder(issuedAt: entry.issuedAt, id: entry.id)
    }
}
