import Foundation
import GRDB
import Metrics

/// The disk under the database failed a write or read; the request itself was fine.
public enum StorageFailure: Error, Equatable, Sendable {
    /// No room left (disk full, or the database's size limit).
    case full
    /// Read-only, an I/O error, or the file gone: SQLite's code, for the log.
    case unavailable(String)
}

/// The one owner of Motcua's SQLite database. Every read and write goes through `read` or
/// `write`, so each write is one transaction and every database call is timed.
///
/// Durability: WAL with `synchronous = NORMAL`. A committed transaction survives the
/// process being killed at any moment; a power cut may lose the last commits, never
/// corrupt the file.
public final class Store: Sendable {
    let pool: DatabasePool
    /// Seals ID and phone numbers at rest (bookings, dossiers, drafts).
    public let sealer: PersonalDataSealer
    let groupCommit: GroupCommit
    let checkpointer: Checkpointer
    /// How booking codes are made and read; its key is in the database.
    let bookingCodes: BookingCodes
    private let readTimer: Metrics.Timer
    private let writeTimer: Metrics.Timer

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    public init(path: String, sealer: PersonalDataSealer, metrics: any MetricsFactory = MetricsSystem.factory) throws {
        self.sealer = sealer
        let checkpointer = Checkpointer(path: path)
        self.checkpointer = checkpointer
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {
                // Checkpoints on a connection of their own: see Checkpointer. The WAL file is
                // cut back to 16 MB when it starts over, should a long read have let it grow.
                checkpointer.install(on: db)
                try db.execute(sql: "PRAGMA journal_size_limit = 16777216")
                // 32 MB of page cache, so the writer finds the indexes it updates in memory
                // rather than reading them again from the file on every booking.
                try db.execute(sql: "PRAGMA cache_size = -32000")
                // Each booking of a group commit runs in a savepoint, whose page copies SQLite
                // wrote to a temporary file once they passed 64 KB: a write call per page and
                // a fifth of the writer's time. In memory they are a copy each.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pool = try DatabasePool(path: path, configuration: configuration)
        groupCommit = GroupCommit(pool: pool)
        readTimer = Metrics.Timer(label: "motcua_db_duration", dimensions: [("op", "read")], factory: metrics)
        writeTimer = Metrics.Timer(label: "motcua_db_duration", dimensions: [("op", "write")], factory: metrics)
        try Migrations.migrator.migrate(pool)
        bookingCodes = try pool.read { try BookingCodes.load($0) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { readTimer.record(duration: ContinuousClock.now - started) }
        return try await Self.storage { try await self.pool.read(body) }
    }

    /// Runs `body` in one write transaction: all of it commits, or none of it does.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { writeTimer.record(duration: ContinuousClock.now - started) }
        return try await Self.storage { try await self.pool.write(body) }
    }

    /// Like `write`, for small hot writes that many callers make at once (bookings, tickets):
    /// `body` runs in its own savepoint inside a transaction shared with concurrent callers.
    /// Its effects are committed before it returns; if it throws, only its own are undone.
    func writeShared<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { writeTimer.record(duration: ContinuousClock.now - started) }
        return try await Self.storage { try await self.groupCommit.write(body) }
    }

    /// The disk, not the request, failed: said as such, so callers answer "try later" and
    /// never a bug. SQLite rolls the transaction back, so nothing is half-written.
    private static func storage<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw StorageFailure.full
        } catch let error as DatabaseError where GroupCommit.diskFailures.contains(error.resultCode) {
            throw StorageFailure.unavailable(error.resultCode.description)
        }
    }

    /// Checkpoints the WAL into the database file and closes every connection. Call once,
    /// after the last request. The checkpoint is explicit because the pool's read-only
    /// connections, closed last, cannot do it themselves.
    public func close() throws {
        try checkpointer.close()
        _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try pool.close()
    }

    /// The identifiers of the migrations applied to this database, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Migrations.migrator.appliedIdentifiers($0) }.sorted()
    }
}
