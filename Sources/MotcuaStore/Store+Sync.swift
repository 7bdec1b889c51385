import Foundation
import GRDB
import MotcuaCore

// MARK: At a site: the outbox, pushed upwards

/// How far the site's outbox is behind: what the manager console and `/metrics` show.
public struct OutboxBacklog: Sendable, Equatable {
    public let pending: Int
    /// When the oldest unsent event happened; nil when everything is sent.
    public let oldestPendingAt: Date?

    public init(pending: Int, oldestPendingAt: Date?) {
        self.pending = pending
        self.oldestPendingAt = oldestPendingAt
    }

    public func lag(now: Date) -> TimeInterval {
        oldestPendingAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
    }
}

extension Store {
    /// Marks every event up to `id` as sent: the centre has acknowledged them.
    public func markSent(through id: Int64, at now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE outbox SET sentAt = ? WHERE id <= ? AND sentAt IS NULL", arguments: [now.storedText, id])
        }
    }

    public func outboxBacklog() async throws -> OutboxBacklog {
        try await read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, min(occurredAt) AS oldest FROM outbox WHERE sentAt IS NULL")
            return OutboxBacklog(pending: row?["n"] ?? 0, oldestPendingAt: row?["oldest"])
        }
    }
}

// MARK: At the centre: ingest

/// One event as a site sent it: its id is the idempotency key, `seq` its place in the
/// site's outbox.
public struct ReceivedEvent: Sendable, Equatable {
    public let eventId: String
    public let seq: Int64
    public let kind: String
    /// The event's JSON, exactly as the site wrote it.
    public let payload: String
    public let occurredAt: Date

    public init(eventId: String, seq: Int64, kind: String, payload: String, occurredAt: Date) {
        self.eventId = eventId
        self.seq = seq
        self.kind = kind
        self.payload = payload
        self.occurredAt = occurredAt
    }
}

/// What the centre did with a batch.
public struct IngestReceipt: Sendable, Equatable {
    /// Events new to the centre.
    public let accepted: Int
    /// Events it had already: a retried, repeated or overlapping batch.
    public let duplicates: Int
    /// The highest `seq` the centre holds from this site.
    public let cursor: Int64
}

/// One site as the centre sees it from its events.
public struct SiteSummary: Sendable, Equatable {
    public let siteId: String
    public let cursor: Int64
    public let eventsReceived: Int
    public let lastEventAt: Date?
    public let lastBatchAt: Date
    /// The site's tickets of `day`, by status, as their events left them.
    public let ticketsIssued: Int
    public let waiting: Int
    public let served: Int
    public let noShows: Int
    /// The centre configuration the site last applied, and when.
    public let configVersion: String?
    public let configAppliedAt: Date?
}

/// One site's day as its events reached the centre: the report across sites.
public struct SiteDay: Sendable, Equatable {
    public let siteId: String
    public let day: String
    public let issued: Int
    public let served: Int
    public let noShows: Int
    /// Still waiting or being served when the last event came.
    public let open: Int
    public let bookingsCheckedIn: Int
    /// From a ticket's issue to its first call, over the tickets called; nil when none was.
    public let averageWaitSeconds: Double?
    public let waitsCounted: Int
}

/// Why the centre refused a batch; the whole batch is refused, so nothing of it is half-kept.
public enum SyncRefusal: Error, Equatable, Sendable {
    /// A ticket event without the ticket's id, number, service or day.
    case malformedPayload(eventId: String)
}

/// The parts of a ticket event the centre keeps per ticket.
private struct TicketEventPayload: Decodable {
    let ticketId: Int64
    let number: String
    let serviceId: String
    let day: String
}

extension Store {
    /// Takes a batch from `siteId` in one transaction: each event is stored once, whatever
    /// how often it comes (a retry after a lost answer, a duplicated or delayed request), and
    /// the site's tickets follow their events. Events of a batch come in their outbox order;
    /// only a new event moves a ticket, so a late copy of an old one changes nothing.
    public func ingest(siteId: String, events: [ReceivedEvent], now: Date) async throws -> IngestReceipt {
        let codes = bookingCodes
        return try await write { db in
            var accepted = 0
            let insert = try db.cachedStatement(sql: """
                INSERT INTO syncEvent (siteId, eventId, seq, kind, payload, occurredAt, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (siteId, eventId) DO NOTHING
                """)
            let latest = try Int64.fetchOne(db, sql: "SELECT cursor FROM syncSite WHERE siteId = ?", arguments: [siteId]) ?? 0
            var lastEventAt: Date?
            for event in events {
                try insert.execute(arguments: [
                    siteId, event.eventId, event.seq, event.kind, event.payload, event.occurredAt.storedText, now.storedText,
                ])
                guard db.changesCount == 1 else { continue }
                accepted += 1
                lastEventAt = max(lastEventAt ?? event.occurredAt, event.occurredAt)
                // A new event below the cursor was sent before the site lost its reply; its
                // ticket has since moved on, so only the events past the cursor move tickets.
                // A check-in only ever moves its booking forward, so it applies whenever it comes.
                if event.kind == "booking.checked_in" {
                    try Self.checkInBooking(db, event: event, codes: codes, now: now)
                } else if event.seq > latest {
                    try Self.project(db, siteId: siteId, event: event, now: now)
                }
            }
            let cursor = max(latest, events.map(\.seq).max() ?? 0)
            try db.execute(sql: """
                INSERT INTO syncSite (siteId, cursor, eventsReceived, lastEventAt, lastBatchAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (siteId) DO UPDATE SET
                    cursor = excluded.cursor, eventsReceived = eventsReceived + excluded.eventsReceived,
                    lastEventAt = CASE WHEN lastEventAt IS NULL OR excluded.lastEventAt > lastEventAt
                        THEN excluded.lastEventAt ELSE lastEventAt END,
                    lastBatchAt = excluded.lastBatchAt
                """, arguments: [siteId, cursor, accepted, lastEventAt?.storedText, now.storedText])
            return IngestReceipt(accepted: accepted, duplicates: events.count - accepted, cursor: cursor)
        }
    }

    /// Marks the centre's booking checked in: the site checked it in from its pass, maybe
    /// while the centre was out of reach.
    private static func checkInBooking(_ db: Database, event: ReceivedEvent, codes: BookingCodes, now: Date) throws {
        guard let checkIn = try? JSONDecoder().decode(BookingCheckInEvent.self, from: Data(event.payload.utf8)) else {
            throw SyncRefusal.malformedPayload(eventId: event.eventId)
        }
        guard let code = BookingCode(compact: checkIn.bookingCode), let booking = try codes.row(db, code: code) else { return }
        try db.execute(
            sql: "UPDATE booking SET status = 'checked_in', updatedAt = ? WHERE id = ? AND status = 'booked'",
            arguments: [now.storedText, booking.id]
        )
    }

    /// Moves the site's copy of a ticket as the event says.
    private static func project(_ db: Database, siteId: String, event: ReceivedEvent, now: Date) throws {
        let status: Ticket.Status
        switch event.kind {
        case "ticket.issued", "ticket.transferred": status = .waiting
        case "ticket.called", "ticket.recalled": status = .called
        case "ticket.served": status = .done
        case "ticket.no_show": status = .noShow
        default: return
        }
        guard let ticket = try? JSONDecoder().decode(TicketEventPayload.self, from: Data(event.payload.utf8)) else {
            throw SyncRefusal.malformedPayload(eventId: event.eventId)
        }
        try db.cachedStatement(sql: """
            INSERT INTO syncTicket (siteId, ticketId, serviceId, day, number, status, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (siteId, ticketId) DO UPDATE SET serviceId = excluded.serviceId, status = excluded.status, updatedAt = excluded.updatedAt
            """).execute(arguments: [siteId, ticket.ticketId, ticket.serviceId, ticket.day, ticket.number, status.rawValue, now.storedText])
    }

    /// Every site that has sent anything, with its tickets of `day`.
    public func siteSummaries(day: LocalDate) async throws -> [SiteSummary] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.siteId, s.cursor, s.eventsReceived, s.lastEventAt, s.lastBatchAt,
                    count(t.ticketId) AS issued,
                    count(CASE WHEN t.status = 'waiting' THEN 1 END) AS waiting,
                    count(CASE WHEN t.status = 'done' THEN 1 END) AS served,
                    count(CASE WHEN t.status = 'no_show' THEN 1 END) AS noShows,
                    c.version AS configVersion, c.appliedAt AS configAppliedAt
                FROM syncSite s LEFT JOIN syncTicket t ON t.siteId = s.siteId AND t.day = ?
                    LEFT JOIN syncSiteConfig c ON c.siteId = s.siteId
                GROUP BY s.siteId ORDER BY s.siteId
                """, arguments: [day.iso]).map { row in
                SiteSummary(
                    siteId: row["siteId"], cursor: row["cursor"], eventsReceived: row["eventsReceived"],
                    lastEventAt: row["lastEventAt"], lastBatchAt: row["lastBatchAt"], ticketsIssued: row["issued"],
                    waiting: row["waiting"], served: row["served"], noShows: row["noShows"],
                    configVersion: row["configVersion"], configAppliedAt: row["configAppliedAt"]
                )
            }
        }
    }

    /// The ids of the events the centre holds from `siteId`, in the site's order: for checks
    /// that nothing was lost or doubled.
    public func receivedEventIds(siteId: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT eventId FROM syncEvent WHERE siteId = ? ORDER BY seq", arguments: [siteId])
        }
    }
}

// MARK: Configuration from the centre

extension Store {
    /// At the centre: `siteId` has applied configuration `version`.
    public func recordConfigApplied(siteId: String, version: String, at now: Date) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO syncSiteConfig (siteId, version, appliedAt) VALUES (?, ?, ?)
                ON CONFLICT (siteId) DO UPDATE SET version = excluded.version, appliedAt = excluded.appliedAt
                """, arguments: [siteId, version, now.storedText])
        }
    }

    /// At a site: the centre's holiday notices and catalog, in one transaction. The catalog
    /// becomes the centre's, but for procedures of services this site does not have (no
    /// counter here could receive them). Returns how many procedures were kept and left out.
    @discardableResult
    /// `deviceFiles`: the site's device files by name, when the centre manages them; nil
    /// when it does not, and the site runs its own again.
    public func applyCentreConfig(
        passKeys: [String: String], holidayNotices: [HolidayNotice], procedures: [Procedure], deviceFiles: [String: String]? = nil,
        at now: Date
    ) async throws -> (procedures: Int, skipped: Int) {
        try await write { db in
            try db.execute(sql: "DELETE FROM centreDeviceFile")
            for (name, text) in deviceFiles ?? [:] {
                try db.execute(sql: "INSERT INTO centreDeviceFile (name, text) VALUES (?, ?)", arguments: [name, text])
            }
            // The centre lists every key still in use (a rotated one stays through its overlap),
            // so the list replaces what was trusted before.
            try db.execute(sql: "DELETE FROM centrePassKey")
            for (keyId, publicKey) in passKeys {
                try db.execute(sql: "INSERT INTO centrePassKey (keyId, publicKey) VALUES (?, ?)", arguments: [keyId, publicKey])
            }
            for notice in holidayNotices {
                try HolidayNoticeRow(year: notice.year, notice: notice, updatedAt: now, updatedBy: "centre").save(db)
            }
            let services = Set(try String.fetchAll(db, sql: "SELECT id FROM service"))
            let kept = procedures.filter { services.contains($0.serviceId) }
            // Dossiers keep their procedure's code and name as text: removing a procedure
            // from the catalog leaves them whole.
            try Procedure.filter(!kept.map(\.code).contains(Column("code"))).deleteAll(db)
            for procedure in kept { try procedure.save(db) }
            return (kept.count, procedures.count - kept.count)
        }
    }

    /// The centre's pass keys by key id, as its last applied configuration gave them.
    public func centrePassKeys() async throws -> [String: String] {
        try await read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT keyId, publicKey FROM centrePassKey").map {
                (row: Row) -> (String, String) in (row["keyId"], row["publicKey"])
            })
        }
    }

    /// Every site's days from `from` to `to` (local dates, inclusive), site by site. Waits
    /// come from the events' own times, so they are the site's, whatever the network did.
    public func siteDays(from: LocalDate, to: LocalDate) async throws -> [SiteDay] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                WITH issued AS (
                    SELECT siteId, json_extract(payload, '$.ticketId') AS ticketId, occurredAt
                    FROM syncEvent WHERE kind = 'ticket.issued' AND json_extract(payload, '$.day') BETWEEN ?1 AND ?2
                ), firstCall AS (
                    SELECT siteId, json_extract(payload, '$.ticketId') AS ticketId, min(occurredAt) AS calledAt
                    FROM syncEvent WHERE kind = 'ticket.called' AND json_extract(payload, '$.day') BETWEEN ?1 AND ?2
                    GROUP BY 1, 2
                ), waits AS (
                    SELECT i.siteId, i.ticketId, (julianday(c.calledAt) - julianday(i.occurredAt)) * 86400 AS seconds
                    FROM issued i JOIN firstCall c ON c.siteId = i.siteId AND c.ticketId = i.ticketId
                ), checkIns AS (
                    SELECT siteId, json_extract(payload, '$.day') AS day, count(*) AS n
                    FROM syncEvent WHERE kind = 'booking.checked_in' AND json_extract(payload, '$.day') BETWEEN ?1 AND ?2
                    GROUP BY 1, 2
                )
                SELECT t.siteId, t.day, count(*) AS issued,
                    count(CASE WHEN t.status = 'done' THEN 1 END) AS served,
                    count(CASE WHEN t.status = 'no_show' THEN 1 END) AS noShows,
                    count(CASE WHEN t.status IN ('waiting', 'called') THEN 1 END) AS open,
                    coalesce((SELECT n FROM checkIns b WHERE b.siteId = t.siteId AND b.day = t.day), 0) AS checkedIn,
                    avg(w.seconds) AS averageWait, count(w.seconds) AS waits
                FROM syncTicket t LEFT JOIN waits w ON w.siteId = t.siteId AND w.ticketId = t.ticketId
                WHERE t.day BETWEEN ?1 AND ?2
                GROUP BY t.siteId, t.day ORDER BY t.siteId, t.day
                """, arguments: [from.iso, to.iso]).map { row in
                SiteDay(
                    siteId: row["siteId"], day: row["day"], issued: row["issued"], served: row["served"], noShows: row["noShows"],
                    open: row["open"], bookingsCheckedIn: row["checkedIn"], averageWaitSeconds: row["averageWait"],
                    waitsCounted: row["waits"]
                )
            }
        }
    }

    /// The device files the centre's configuration last brought, by name; nil when the
    /// centre does not manage this site's devices.
    public func centreDeviceFiles() async throws -> [String: String]? {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, text FROM centreDeviceFile")
            return rows.isEmpty ? nil : Dictionary(uniqueKeysWithValues: rows.map { (row: Row) -> (String, String) in (row["name"], row["text"]) })
        }
    }
}
