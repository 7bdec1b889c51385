import Foundation
import GRDB
import MotcuaCore

struct TicketRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "ticket"
    var id: Int64?
    var serviceId: String
    var day: String
    var sequence: Int
    var number: String
    var status: Ticket.Status
    var priority: PriorityCategory?
    var bookingId: Int64?
    /// Set for a checked-in booking, also one held by the centre rather than here.
    var bookingCode: String?
    var bookedStart: Date?
    var counterId: Int?
    var issuedAt: Date
    var calledAt: Date?
    var recalls: Int
    var finishedAt: Date?
    var rating: Int?

    func ticket() throws -> Ticket {
        guard let id, let day = LocalDate(iso: day) else { throw DatabaseError(message: "corrupt ticket row") }
        return Ticket(
            id: id, serviceId: serviceId, day: day, sequence: sequence, number: number, status: status, priority: priority,
            bookingCode: bookingCode.flatMap(BookingCode.init(compact:)), bookedStart: bookedStart, counterId: counterId,
            issuedAt: issuedAt, calledAt: calledAt, recalls: recalls, finishedAt: finishedAt, rating: rating
        )
    }
}

/// Why a queue action was refused.
public enum QueueRefusal: Error, Equatable, Sendable {
    case serviceNotFound
    case ticketNotFound
    case counterNotFound
    /// Calls go only to counters an officer has opened.
    case counterClosed
    /// The ticket is not in a state this action applies to (e.g. recalling a finished one).
    case wrongState(Ticket.Status)
    case alreadyRated
}

/// What the queue events on the outbox carry: no personal data, only what the centre counts.
struct TicketEvent: Encodable {
    let ticketId: Int64
    let number: String
    let serviceId: String
    let day: String
    let counterId: Int?
    let priority: PriorityCategory?
    let booking: Bool
}

extension Store {
    /// Issues the next number of a service for the site's local day. Numbers restart at 001
    /// every day and are unique per service and day under any concurrency: the sequence is
    /// taken by one upsert inside the same transaction that writes the ticket and its event.
    /// Concurrent kiosks share that transaction (group commit), each in its own savepoint.
    public func issueTicket(serviceId: String, priority: PriorityCategory?, now: Date, timeZone: TimeZone) async throws -> Ticket {
        try await writeShared { db in
            try Self.issue(db, serviceId: serviceId, priority: priority, booking: nil, now: now, timeZone: timeZone)
        }
    }

    static func issue(
        _ db: Database, serviceId: String, priority: PriorityCategory?, booking: CheckedInBooking?,
        now: Date, timeZone: TimeZone
    ) throws -> Ticket {
        guard let prefix = try String.fetchOne(db.cachedStatement(sql: "SELECT prefix FROM service WHERE id = ?"), arguments: [serviceId]) else {
            throw QueueRefusal.serviceNotFound
        }
        let day = LocalDate(now, in: timeZone).iso
        guard let sequence = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO ticketSequence (serviceId, day, last) VALUES (?, ?, 1)
            ON CONFLICT (serviceId, day) DO UPDATE SET last = last + 1
            RETURNING last
            """), arguments: [serviceId, day]) else { throw DatabaseError(message: "no sequence returned") }
        var row = TicketRow(
            serviceId: serviceId, day: day, sequence: sequence, number: Ticket.number(prefix: prefix, sequence: sequence),
            status: .waiting, priority: priority, bookingId: booking?.id, bookingCode: booking?.code,
            bookedStart: booking.flatMap { $0.keepsBookedTime ? $0.start : nil }, counterId: nil,
            issuedAt: now, calledAt: nil, recalls: 0, finishedAt: nil, rating: nil
        )
        try db.cachedStatement(sql: """
            INSERT INTO ticket (serviceId, day, sequence, number, status, priority, bookingId, bookingCode, bookedStart, issuedAt, recalls)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
            """).execute(arguments: [
                row.serviceId, row.day, row.sequence, row.number, row.status.rawValue, row.priority?.rawValue, row.bookingId,
                row.bookingCode, row.bookedStart?.storedText, row.issuedAt.storedText,
            ])
        row.id = db.lastInsertedRowID
        try db.appendEvent("ticket.issued", row.event, at: now)
        return try row.ticket()
    }

    public func ticket(id: Int64) async throws -> Ticket? {
        try await read { db in try TicketRow.byId(db, id)?.ticket() }
    }
}

extension TicketRow {
    /// Every kiosk ticket is read back this way at once: a cached statement spares building
    /// and preparing the query each time.
    static func byId(_ db: Database, _ id: Int64) throws -> TicketRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM ticket WHERE id = ?"), arguments: [id])
    }

    var event: TicketEvent {
        TicketEvent(
            ticketId: id ?? 0, number: number, serviceId: serviceId, day: day, counterId: counterId, priority: priority, booking: bookingCode != nil
        )
    }
}
