import Foundation
import GRDB
import MotcuaCore

/// What a booking check-in produced: the ticket, and the timing rule that applied, which the
/// kiosk tells the citizen.
public struct CheckIn: Sendable {
    public let ticket: Ticket
    public let outcome: CheckInOutcome
}

/// What a verified booking pass says of a booking this node does not hold.
public struct VouchedBooking: Sendable, Equatable {
    public let code: BookingCode
    public let serviceId: String
    public let start: Date

    public init(code: BookingCode, serviceId: String, start: Date) {
        self.code = code
        self.serviceId = serviceId
        self.start = start
    }
}

/// The booking a ticket is issued for: held here (`id`) or vouched for by its pass.
struct CheckedInBooking {
    let id: Int64?
    let code: String
    let serviceId: String
    let start: Date
    var keepsBookedTime = false
}

public enum CheckInError: Error, Equatable, Sendable {
    case bookingNotFound
    /// Checked in already, cancelled, displaced or a no-show.
    case bookingNotActive(Booking.Status)
    case refused(CheckInRefusal)
}

extension Store {
    /// Calls the next ticket to `counterId` by the policy's call order, in one transaction.
    /// A ticket still called at the counter is finished first: the officer moved on.
    /// Returns nil when nobody waits for this counter.
    public func callNext(counterId: Int, policy: QueuePolicy, now: Date, timeZone: TimeZone) async throws -> Ticket? {
        try await write { db in
            let services = try Self.servicesOfOpenCounter(db, counterId)
            try Self.finishCurrent(db, counterId: counterId, now: now)
            let day = LocalDate(now, in: timeZone).iso
            let waiting = try TicketRow.filter(Column("day") == day && Column("status") == Ticket.Status.waiting.rawValue).fetchAll(db)
            let history = try Self.history(db, counterId)
            guard let next = policy.nextToCall(
                waiting: waiting.map(\.queueEntry), counterId: counterId, counterServices: services, now: now, history: history
            ), var row = waiting.first(where: { $0.id == next.id }) else { return nil }
            try Self.saveHistory(db, counterId, history.recording(next))
            return try Self.call(db, &row, to: counterId, now: now)
        }
    }

    /// Calls a chosen ticket out of order (an officer's decision, so it is audited).
    public func pick(ticketId: Int64, counterId: Int, actor: String, now: Date) async throws -> Ticket {
        try await write { db in
            _ = try Self.servicesOfOpenCounter(db, counterId)
            var row = try Self.ticketRow(db, ticketId, in: .waiting)
            try Self.finishCurrent(db, counterId: counterId, now: now)
            // A picked call counts for fairness like any other.
            try Self.saveHistory(db, counterId, try Self.history(db, counterId).recording(row.queueEntry))
            try db.audit(
                "ticket.pick", subject: "ticket:\(ticketId)", actor: actor, before: ["status": "waiting"],
                after: ["status": "called", "counter": String(counterId)], at: now
            )
            return try Self.call(db, &row, to: counterId, now: now)
        }
    }

    /// Calls the ticket again (the display and the voice repeat it); counted.
    public func recall(ticketId: Int64, now: Date) async throws -> Ticket {
        try await change(ticketId, from: .called, event: "ticket.recalled", now: now) { row in
            row.recalls += 1
            row.calledAt = now
        }
    }

    /// The citizen did not come forward.
    public func markNoShow(ticketId: Int64, now: Date) async throws -> Ticket {
        try await change(ticketId, from: .called, event: "ticket.no_show", now: now) { row in
            row.status = .noShow
            row.finishedAt = now
        }
    }

    /// Served: the time from call to now is the service duration the wait estimates learn from.
    public func finish(ticketId: Int64, now: Date) async throws -> Ticket {
        try await change(ticketId, from: .called, event: "ticket.served", now: now) { row in
            row.status = .done
            row.finishedAt = now
        }
    }

    /// Sends a called ticket back to the queue of another service, or to one counter. It keeps
    /// its number and its original issue time, so it does not lose its place.
    public func transfer(ticketId: Int64, toService serviceId: String?, toCounter counterId: Int?, now: Date) async throws -> Ticket {
        try await write { db in
            var row = try Self.ticketRow(db, ticketId, in: .called)
            if let serviceId {
                guard try Service.exists(db, key: serviceId) else { throw QueueRefusal.serviceNotFound }
                row.serviceId = serviceId
            }
            if let counterId, try CounterRow.fetchOne(db, key: counterId) == nil { throw QueueRefusal.counterNotFound }
            row.status = .waiting
            row.counterId = counterId
            row.calledAt = nil
            try row.update(db)
            try db.appendEvent("ticket.transferred", row.event, at: now)
            return try row.ticket()
        }
    }

    /// One rating per finished ticket, 1 (not satisfied) to 4 (very satisfied).
    public func rate(ticketId: Int64, score: Int, now: Date) async throws -> Ticket {
        try await write { db in
            var row = try Self.ticketRow(db, ticketId, in: .done)
            guard row.rating == nil else { throw QueueRefusal.alreadyRated }
            row.rating = score
            try row.update(db)
            try db.appendEvent("ticket.rated", RatingEvent(ticketId: ticketId, serviceId: row.serviceId, score: score), at: now)
            return try row.ticket()
        }
    }

    /// Turns a booking into a ticket, once. The policy decides from the time whether it keeps
    /// its booked time (served ahead of walk-ins when due), joins as a walk-in, or is refused.
    /// A booking this node does not hold (at a site, the centre's) is checked in on what its
    /// verified pass `vouches`: the centre learns of it from the `booking.checked_in` event.
    public func checkIn(
        code: BookingCode, vouched: VouchedBooking? = nil, policy: QueuePolicy, now: Date, timeZone: TimeZone
    ) async throws -> CheckIn {
        try await write { db in
            if var booking = try self.bookingCodes.row(db, code: code), let bookingId = booking.id {
                guard let slot = try Slot.fetchOne(db, key: booking.slotId) else { throw CheckInError.bookingNotFound }
                guard booking.status == .booked else { throw CheckInError.bookingNotActive(booking.status) }
                let checkIn = try Self.checkIn(
                    db, CheckedInBooking(id: bookingId, code: booking.code, serviceId: slot.serviceId, start: slot.start),
                    policy: policy, now: now, timeZone: timeZone
                )
                booking.status = .checkedIn
                booking.updatedAt = now
                try booking.update(db)
                return checkIn
            }
            guard let vouched, vouched.code == code else { throw CheckInError.bookingNotFound }
            let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ticket WHERE bookingCode = ?)", arguments: [code.compact]) ?? false
            if taken { throw CheckInError.bookingNotActive(.checkedIn) }
            return try Self.checkIn(
                db, CheckedInBooking(id: nil, code: code.compact, serviceId: vouched.serviceId, start: vouched.start),
                policy: policy, now: now, timeZone: timeZone
            )
        }
    }

    private static func checkIn(
        _ db: Database, _ booking: CheckedInBooking, policy: QueuePolicy, now: Date, timeZone: TimeZone
    ) throws -> CheckIn {
        let outcome = policy.checkIn(bookedStart: booking.start, now: now, timeZone: timeZone)
        if case .refused(let refusal) = outcome { throw CheckInError.refused(refusal) }
        var booking = booking
        booking.keepsBookedTime = outcome.keepsBookedTime
        let ticket = try Self.issue(db, serviceId: booking.serviceId, priority: nil, booking: booking, now: now, timeZone: timeZone)
        try db.appendEvent("booking.checked_in", BookingCheckInEvent(
            bookingCode: booking.code, serviceId: booking.serviceId, day: LocalDate(booking.start, in: timeZone).iso,
            ticketId: ticket.id, keepsBookedTime: outcome.keepsBookedTime
        ), at: now)
        return CheckIn(ticket: ticket, outcome: outcome)
    }

    private func change(
        _ ticketId: Int64, from status: Ticket.Status, event: String, now: Date, _ apply: @escaping @Sendable (inout TicketRow) -> Void
    ) async throws -> Ticket {
        try await write { db in
            var row = try Self.ticketRow(db, ticketId, in: status)
            apply(&row)
            try row.update(db)
            try db.appendEvent(event, row.event, at: now)
            return try row.ticket()
        }
    }

    private static func ticketRow(_ db: Database, _ id: Int64, in status: Ticket.Status) throws -> TicketRow {
        guard let row = try TicketRow.byId(db, id) else { throw QueueRefusal.ticketNotFound }
        guard row.status == status else { throw QueueRefusal.wrongState(row.status) }
        return row
    }

    private static func call(_ db: Database, _ row: inout TicketRow, to counterId: Int, now: Date) throws -> Ticket {
        row.status = .called
        row.counterId = counterId
        row.calledAt = now
        try row.update(db)
        try db.appendEvent("ticket.called", row.event, at: now)
        return try row.ticket()
    }

    private static func finishCurrent(_ db: Database, counterId: Int, now: Date) throws {
        for var row in try TicketRow.filter(Column("counterId") == counterId && Column("status") == Ticket.Status.called.rawValue).fetchAll(db) {
            row.status = .done
            row.finishedAt = now
            try row.update(db)
            try db.appendEvent("ticket.served", row.event, at: now)
        }
    }

    private static func servicesOfOpenCounter(_ db: Database, _ counterId: Int) throws -> Set<String> {
        guard let counter = try CounterRow.fetchOne(db, key: counterId) else { throw QueueRefusal.counterNotFound }
        guard counter.isOpen else { throw QueueRefusal.counterClosed }
        return Set(try CounterServiceRow.filter(Column("counterId") == counterId).fetchAll(db).map(\.serviceId))
    }

    private static func history(_ db: Database, _ counterId: Int) throws -> FairnessHistory {
        try String.fetchOne(db, sql: "SELECT history FROM callHistory WHERE counterId = ?", arguments: [counterId])
            .map { try JSONDecoder().decode(FairnessHistory.self, from: Data($0.utf8)) } ?? FairnessHistory()
    }

    private static func saveHistory(_ db: Database, _ counterId: Int, _ history: FairnessHistory) throws {
        try db.execute(
            sql: "INSERT INTO callHistory (counterId, history) VALUES (?, ?) ON CONFLICT (counterId) DO UPDATE SET history = excluded.history",
            arguments: [counterId, String(decoding: try JSONEncoder().encode(history), as: UTF8.self)]
        )
    }
}

struct RatingEvent: Encodable {
    let ticketId: Int64
    let serviceId: String
    let score: Int
}

extension TicketRow {
    var queueEntry: QueueEntry {
        QueueEntry(
            id: id ?? 0, serviceId: serviceId, issuedAt: issuedAt, priority: priority, bookedStart: bookedStart, transferredToCounter: counterId
        )
    }
}

/// The hall at one moment, as displays and the status endpoint show it.
public struct QueueSnapshot: Sendable {
    /// Tickets waiting today, in no particular order (the policy ranks them).
    public let waiting: [QueueEntry]
    public let counters: [Counter]
    /// The ticket each counter is serving now, by counter id.
    public let serving: [Int: Ticket]
    /// The latest calls of the day, newest first.
    public let recentCalls: [Ticket]
    /// Recent service durations (call to finish) per service, newest first, for wait estimates.
    public let recentDurations: [String: [TimeInterval]]
}

extension Store {
    public func queueSnapshot(day: LocalDate, recentCalls: Int = 10, durationSample: Int = 20) async throws -> QueueSnapshot {
        try await read { db in
            let today = TicketRow.filter(Column("day") == day.iso)
            let waiting = try today.filter(Column("status") == Ticket.Status.waiting.rawValue).fetchAll(db)
            let serving = try today.filter(Column("status") == Ticket.Status.called.rawValue).fetchAll(db)
            let calls = try today.filter(Column("calledAt") != nil).order(Column("calledAt").desc, Column("id").desc).limit(recentCalls).fetchAll(db)
            let finished = try today.filter(Column("status") == Ticket.Status.done.rawValue && Column("calledAt") != nil)
                .order(Column("finishedAt").desc).fetchAll(db)
            var durations: [String: [TimeInterval]] = [:]
            for row in finished where durations[row.serviceId, default: []].count < durationSample {
                if let called = row.calledAt, let finishedAt = row.finishedAt {
                    durations[row.serviceId, default: []].append(finishedAt.timeIntervalSince(called))
                }
            }
            return QueueSnapshot(
                waiting: waiting.map(\.queueEntry),
                counters: try Self.counters(db),
                serving: Dictionary(try serving.compactMap { row in try row.counterId.map { ($0, try row.ticket()) } }, uniquingKeysWith: { $1 }),
                recentCalls: try calls.map { try $0.ticket() },
                recentDurations: durations
            )
        }
    }
}

extension Store {
    /// Every ticket of a local day, for the day's statistics.
    public func tickets(day: LocalDate) async throws -> [Ticket] {
        try await read { db in
            try TicketRow.filter(Column("day") == day.iso).order(Column("id")).fetchAll(db).map { try $0.ticket() }
        }
    }
}

/// What a kiosk tells a citizen about a waiting ticket: its place in its line and what the
/// wait estimate needs.
public struct QueueStanding: Sendable, Equatable {
    /// 1 = next, as `QueuePolicy.position(of:among:now:)` counts it.
    public let position: Int
    public let openCounters: Int
    /// Latest service durations (call to finish) of the ticket's service that day, newest first.
    public let recentDurations: [TimeInterval]
}

extension Store {
    /// The standing of a waiting ticket, reading only its own line, so it costs the same at
    /// the end of a busy day as at its start; nil once the ticket is no longer waiting.
    ///
    /// A regular ticket in its service's line (no priority, no due booking, not transferred)
    /// is counted by index: ahead of it is everyone who arrived earlier, plus those who
    /// arrived later but go first by the call order (priority, bookings due). Others are
    /// few, and ranked by the policy itself over their line. A test holds the count equal to
    /// the policy's position on random halls.
    public func standing(of ticketId: Int64, policy: QueuePolicy, now: Date, durationSample: Int = 20) async throws -> QueueStanding? {
        try await read { db in
            guard let row = try TicketRow.byId(db, ticketId), row.status == .waiting, let id = row.id else { return nil }
            let entry = row.queueEntry
            let dueBy = now.addingTimeInterval(Double(policy.dueLeadMinutes) * 60)
            let position: Int
            if entry.priority == nil, entry.transferredToCounter == nil, entry.bookedStart.map({ $0 > dueBy }) ?? true {
                let issuedAt = entry.issuedAt.storedText
                let line = try Int.fetchOne(db.cachedStatement(sql: "SELECT waiting FROM ticketLine WHERE day = ? AND serviceId = ?"),
                                            arguments: [row.day, row.serviceId]) ?? 1
                // Count the shorter side of the line: behind a new ticket there is next to
                // nobody, ahead of the first few there is next to nobody.
                let half = line / 2
                let behind = try Int.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*) FROM (
                        SELECT 1 FROM ticket
                        WHERE day = ? AND serviceId = ? AND status = 'waiting' AND counterId IS NULL
                          AND issuedAt >= ? AND (issuedAt > ? OR id > ?)
                        LIMIT ?)
                    """), arguments: [row.day, row.serviceId, issuedAt, issuedAt, id, half]) ?? 0
                let arrivedEarlier = behind < half ? line - 1 - behind : try Int.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*) FROM ticket
                    WHERE day = ? AND serviceId = ? AND status = 'waiting' AND counterId IS NULL
                      AND issuedAt <= ? AND (issuedAt < ? OR id < ?)
                    """), arguments: [row.day, row.serviceId, issuedAt, issuedAt, id]) ?? 0
                // The index's own condition repeated, so SQLite accepts it.
                let goFirst = try Int.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*) FROM ticket INDEXED BY ticket_overtaking
                    WHERE day = ? AND serviceId = ? AND status = 'waiting' AND counterId IS NULL
                      AND (priority IS NOT NULL OR bookedStart IS NOT NULL)
                      AND issuedAt >= ? AND (issuedAt > ? OR id > ?)
                      AND (priority IS NOT NULL OR bookedStart <= ?)
                    """), arguments: [row.day, row.serviceId, issuedAt, issuedAt, id, dueBy.storedText]) ?? 0
                position = 1 + arrivedEarlier + goFirst
            } else {
                let line = try TicketRow
                    .filter(Column("day") == row.day && Column("status") == Ticket.Status.waiting.rawValue)
                    .filter(entry.transferredToCounter.map { Column("counterId") == $0 } ?? (Column("serviceId") == row.serviceId && Column("counterId") == nil))
                    .fetchAll(db)
                position = policy.position(of: entry, among: line.map(\.queueEntry), now: now)
            }
            let openCounters = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM counter JOIN counterService ON counterService.counterId = counter.id
                WHERE counter.isOpen AND counterService.serviceId = ?
                """), arguments: [row.serviceId]) ?? 0
            let durations = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT calledAt, finishedAt FROM ticket
                WHERE day = ? AND serviceId = ? AND status = 'done' AND calledAt IS NOT NULL
                ORDER BY finishedAt DESC LIMIT ?
                """), arguments: [row.day, row.serviceId, durationSample]).compactMap { duration -> TimeInterval? in
                    guard let called: Date = duration[0], let finished: Date = duration[1] else { return nil }
                    return finished.timeIntervalSince(called)
                }
            return QueueStanding(position: position, openCounters: openCounters, recentDurations: durations)
        }
    }
}

/// A booking's arrival, for the centre's on-time figures: no personal data.
struct BookingCheckInEvent: Codable {
    let bookingCode: String
    let serviceId: String
    let day: String
    let ticketId: Int64
    let keepsBookedTime: Bool
}
