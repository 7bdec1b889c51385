import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database file on a connection and thread of its own, so the
/// writer never stops for it: the writer's WAL hook only signals, once the WAL has grown by
/// `threshold` pages since the last checkpoint.
///
/// Why: with SQLite's automatic checkpoint the writer itself copied the pages back and synced
/// the file twice after every thousandth page, a sixth of its time on bookings, with every
/// write queued behind it waiting too. A passive checkpoint runs beside the writer.
final class Checkpointer: Sendable {
    /// WAL pages that start a checkpoint: SQLite's own default.
    static let threshold: Int32 = 1_000
    /// Where the writer checkpoints itself, as SQLite would. Under steady writes the
    /// checkpointer is always a few pages behind, and SQLite starts the WAL over only when
    /// every page is back in the file: here the writer copies the few left (cheap, the
    /// checkpointer did the rest), and the WAL starts over. Also the bound when the
    /// checkpointer is stalled (a slow disk).
    static let backstop: Int32 = 4_000

    private let path: String
    private let queue = DispatchQueue(label: "motcua.checkpointer")
    private let connection = Mutex<DatabaseQueue?>(nil)
    private let scheduled = Atomic<Bool>(false)
    /// Checkpoints this checkpointer ran (tests tell its work from SQLite's own).
    let completed = Atomic<Int>(0)

    init(path: String) {
        self.path = path
    }

    /// Makes `db` (the pool's writer) signal this checkpointer after its commits. It replaces
    /// SQLite's automatic checkpoint, which is a WAL hook too.
    func install(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, pages in
            if pages >= Checkpointer.backstop {
                sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= Checkpointer.threshold, let context {
                Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().schedule()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    private func schedule() {
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        queue.async {
            // A failure (the disk) leaves the pages in the WAL, where they are durable; the next
            // signal tries again, and the backstop bounds the WAL meanwhile.
            if (try? self.checkpointConnection().writeWithoutTransaction { try $0.checkpoint(.passive) }) != nil {
                self.completed.add(1, ordering: .relaxed)
            }
            self.scheduled.store(false, ordering: .releasing)
        }
    }

    /// Opened on first use: the pool has made the file and put it in WAL mode by then.
    private func checkpointConnection() throws -> DatabaseQueue {
        try connection.withLock { connection in
            if let connection { return connection }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            let opened = try DatabaseQueue(path: path, configuration: configuration)
            connection = opened
            return opened
        }
    }

    /// Waits for a checkpoint under way, then closes the connection; none is started after
    /// (`scheduled` stays set). The pool closes after, with a checkpoint of its own.
    func close() throws {
        scheduled.store(true, ordering: .sequentiallyConsistent)
        try queue.sync {
            try connection.withLock { connection in
                try connection?.close()
                connection = nil
            }
        }
    }

    /// Returns once no checkpoint is running or queued (tests).
    func idle() {
        queue.sync {}
    }

    /// Holds the checkpointer, as a stalled disk would, until the returned closure is called
    /// (tests of the backstop).
    func pause() -> @Sendable () -> Void {
        let held = DispatchSemaphore(value: 0)
        queue.async { held.wait() }
        return { held.signal() }
    }
}
