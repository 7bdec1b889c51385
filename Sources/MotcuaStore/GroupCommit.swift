import GRDB
import Synchronization

/// Group commit for the hot writes (bookings, tickets): writes that arrive while another
/// transaction is running are gathered and run together in the next one. A refusal (slot
/// full, duplicate) undoes only its own write; the others commit. Nobody is answered before
/// the shared transaction has committed, so an answered write is as durable as with one
/// transaction each, and a failed commit fails every write in the batch: none of them was
/// acknowledged.
///
/// Why: with SQLite one writer runs at a time and most of a small write's cost is the
/// transaction itself (WAL frames, locks, the hop to the writer queue). Sharing it among
/// concurrent writers multiplies throughput while each write still sees the ones before it,
/// so capacity checks stay exact.
///
/// A batch first runs its writes bare. The hot writes check everything before they write,
/// so a refusal has nothing to undo, and a savepoint per write (its statements, and SQLite's
/// copy of every page it touches) was a tenth of the writer's time per booking. A write that
/// fails after writing rolls the batch back, and the batch runs again with each write in its
/// own savepoint. Bodies must write through INSERT, UPDATE and DELETE on tables only: those
/// are what SQLite's change count, which tells the two cases apart, counts.
final class GroupCommit: Sendable {
    /// One caller's write: `run` runs it (in a savepoint when `isolated`) and says how to
    /// answer the caller once the batch has committed; `runAlone` runs it bare, throwing its
    /// error, when it is the batch's only write; `fail` answers it when the batch could not
    /// commit.
    private struct Pending: Sendable {
        let run: @Sendable (_ db: Database, _ isolated: Bool) -> Ran
        let runAlone: @Sendable (Database) throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    /// What running one write of a batch came to.
    private enum Ran: Sendable {
        /// Done, or refused with nothing of it left behind: answer once the batch commits.
        case answer(@Sendable () -> Void)
        /// The disk failed it, and SQLite may have rolled the whole transaction back.
        case diskFailed(DatabaseError)
        /// Run bare, it failed after writing: only a rerun in savepoints undoes it alone.
        case failedAfterWriting
    }

    private struct FailedAfterWriting: Error {}

    static let diskFailures: [ResultCode] = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_NOTADB]

    private struct State {
        var pending: [Pending] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    /// Bounds one transaction's length so the first caller of a burst is not held too long.
    private let largestBatch = 256
    /// How many batches ran again in savepoints because a write failed after writing.
    let reruns = Atomic<Int>(0)
    /// How many writes wait for the writer.
    var waiting: Int { state.withLock { $0.pending.count } }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = Pending(
                run: { db, isolated in
                    let changesBefore = db.totalChangesCount
                    let outcome = Result { isolated ? try Self.inSavepoint(db, body) : try body(db) }
                    if case .failure(let error) = outcome {
                        if let error = error as? DatabaseError, Self.diskFailures.contains(error.resultCode) { return .diskFailed(error) }
                        if !isolated && db.totalChangesCount != changesBefore { return .failedAfterWriting }
                    }
                    return .answer { continuation.resume(with: outcome) }
                },
                runAlone: { db in
                    let value = try body(db)
                    return { continuation.resume(returning: value) }
                },
                fail: { continuation.resume(throwing: $0) }
            )
            let startsDraining = state.withLock { state in
                state.pending.append(pending)
                defer { state.draining = true }
                return !state.draining
            }
            if startsDraining {
                drain()
            }
        }
    }

    /// Runs batches until nothing is waiting. Only one drain runs at a time.
    ///
    /// The batches run back to back on the writer's own queue, each in its own transaction,
    /// and the callers are answered from there. A drain that was a Swift task hopped to the
    /// writer and back for every batch, and the writer sat idle through each hop: 32
    /// concurrent bookings went 17% faster without them. After `batchesPerTurn` batches the
    /// writer is let go, so that other writes queued for it meanwhile take their turn.
    private func drain() {
        pool.asyncWriteWithoutTransaction { db in
            if self.commitBatches(db) { self.drain() }
        }
    }

    private let batchesPerTurn = 8

    /// Commits up to `batchesPerTurn` batches; whether writes are still waiting.
    private func commitBatches(_ db: Database) -> Bool {
        for _ in 0..<batchesPerTurn {
            let batch = state.withLock { state in
                let batch = Array(state.pending.prefix(largestBatch))
                state.pending.removeFirst(batch.count)
                state.draining = !batch.isEmpty
                return batch
            }
            guard !batch.isEmpty else { return false }
            do {
                try commit(batch, db).forEach { $0() }
            } catch {
                batch.forEach { $0.fail(error) }
            }
        }
        return true
    }

    /// Commits one batch and returns its answers. A lone write (a quiet kiosk) needs no
    /// savepoint: the transaction is its own, and its failure rolls the transaction back and
    /// is its answer.
    private func commit(_ batch: [Pending], _ db: Database) throws -> [@Sendable () -> Void] {
        var answers: [@Sendable () -> Void] = []
        if batch.count == 1 {
            try db.inTransaction {
                answers = [try batch[0].runAlone(db)]
                return .commit
            }
            return answers
        }
        do {
            try db.inTransaction {
                answers = try Self.run(batch, db, isolated: false)
                return .commit
            }
        } catch is FailedAfterWriting {
            reruns.add(1, ordering: .relaxed)
            try db.inTransaction {
                answers = try Self.run(batch, db, isolated: true)
                return .commit
            }
        }
        return answers
    }

    /// Runs a batch's writes in one transaction and returns their answers. When the disk fails
    /// under one write SQLite rolls the whole transaction back: every caller hears the disk's
    /// error, not "transaction aborted".
    private static func run(_ batch: [Pending], _ db: Database, isolated: Bool) throws -> [@Sendable () -> Void] {
        try batch.map { pending in
            switch pending.run(db, isolated) {
            case .answer(let answer): return answer
            case .diskFailed(let error): throw error
            case .failedAfterWriting: throw FailedAfterWriting()
            }
        }
    }

    /// `body` in a savepoint of the shared transaction. Its statements are prepared once per
    /// connection (GRDB's `inSavepoint` parses them on every call, about 7% of the writer's
    /// time per booking). On failure the savepoint is rolled back and the body's error
    /// thrown; if the disk already rolled the whole transaction back there is no savepoint
    /// left to undo, and the drain fails the batch.
    private static func inSavepoint<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT groupCommit").execute()
        let value: T
        do {
            value = try body(db)
        } catch {
            try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT groupCommit").execute()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT groupCommit").execute()
            throw error
        }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT groupCommit").execute()
        return value
    }
}
