import Foundation
import GRDB

/// An event for other nodes (the centre, the national portal), appended in the same
/// transaction as the change it describes: if the change commits, so does the event.
public struct OutboxEvent: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "outbox"

    public var id: Int64?
    /// Idempotency key for the receiver.
    public var eventId: String
    public var kind: String
    public var payload: String
    public var occurredAt: Date
    public var sentAt: Date?
}

extension Database {
    func appendEvent<Payload: Encodable>(_ kind: String, _ payload: Payload, at now: Date) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        // A prepared statement: events are appended by the hottest writes (tickets, calls).
        try cachedStatement(sql: "INSERT INTO outbox (eventId, kind, payload, occurredAt) VALUES (?, ?, ?, ?)").execute(arguments: [
            UUID().uuidString.lowercased(), kind, String(decoding: try encoder.encode(payload), as: UTF8.self), now.storedText,
        ])
    }
}

extension Store {
    /// Events not yet sent, oldest first.
    public func pendingEvents(limit: Int = 500) async throws -> [OutboxEvent] {
        try await read { db in
            try OutboxEvent.filter(Column("sentAt") == nil).order(Column("id")).limit(limit).fetchAll(db)
        }
    }
}

extension Store {
    /// Where `consumer` is in the outbox: the id of the last event it has handled, 0 at first.
    public func outboxCursor(_ consumer: String) async throws -> Int64 {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT lastId FROM outboxCursor WHERE consumer = ?", arguments: [consumer]) ?? 0
        }
    }

    /// `consumer` has handled every event up to `id`.
    public func advanceOutboxCursor(_ consumer: String, to id: Int64) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO outboxCursor (consumer, lastId) VALUES (?, ?)
                ON CONFLICT (consumer) DO UPDATE SET lastId = max(lastId, excluded.lastId)
                """, arguments: [consumer, id])
        }
    }

    /// Events after `id` whose kind starts with `kindPrefix`, oldest first.
    public func outboxEvents(after id: Int64, kindPrefix: String, limit: Int = 100) async throws -> [OutboxEvent] {
        try await read { db in
            try OutboxEvent.filter(Column("id") > id && Column("kind").like("\(kindPrefix)%")).order(Column("id")).limit(limit).fetchAll(db)
        }
    }
}
