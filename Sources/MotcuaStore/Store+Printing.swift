import Foundation
import GRDB

/// One attempt to print a document, as recorded: created before the job is handed to CUPS,
/// updated with what the printer did.
public struct PrintRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "printJob"
    public var id: Int64?
    /// What was printed: "ticket:12", "booking:K7MQ3XHP".
    public var document: String
    public var printerId: String
    public var queue: String
    public var cupsJobId: Int?
    /// sending, queued, printing, printed, held or failed.
    public var state: String
    /// The printer's reason, in the kiosk's words, when it did not print.
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date
}

extension Store {
    public func recordPrint(document: String, printerId: String, queue: String, now: Date) async throws -> PrintRecord {
        try await write { db in
            var record = PrintRecord(
                id: nil, document: document, printerId: printerId, queue: queue, cupsJobId: nil, state: "sending",
                reason: nil, createdAt: now, updatedAt: now
            )
            try record.insert(db)
            record.id = db.lastInsertedRowID
            return record
        }
    }

    public func updatePrint(_ record: PrintRecord) async throws {
        try await write { db in try record.update(db) }
    }

    public func prints(of document: String) async throws -> [PrintRecord] {
        try await read { db in try PrintRecord.filter(Column("document") == document).order(Column("id")).fetchAll(db) }
    }
}
