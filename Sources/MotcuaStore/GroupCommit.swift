import GRDB
import Synchronization

/// Group commit for the hot writes (bookings, tickets): writes that arrive while another
/// transaction is running are gathered and run together in the next one, each inside its own
/// savepoint. A refusal (slot full, duplicate) rolls back only its own savepoint; the others
/// commit. Nobody is answered before the shared transaction has committed, so an answered
/// write is as durable as with one transaction each, and a failed commit fails every write
/// in the batch: none of them was acknowledged.
///
/// Why: with SQLite one writer runs at a time and most of a small write's cost is the
/// transaction itself (WAL frames, locks, the hop to the writer queue). Sharing it among
/// concurrent writers multiplies throughput while each write still sees the ones before it,
/// so capacity checks stay exact.
final class GroupCommit: Sendable {
    /// One caller's write: runs it inside a savepoint and returns how to answer the caller once
    /// the batch has committed; `runAlone` runs it bare, throwing its error, when it is the
    /// batch's only write; `fail` answers it when the batch could not commit.
    private struct Pending: Sendable {
        let run: @Sendable (Database) -> Ran
        let runAlone: @Sendable (Database) throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    /// A write run in its savepoint: how to answer its caller, and the disk's error if the
    /// disk (not the write) failed it.
    private struct Ran: Sendable {
        let answer: @Sendable () -> Void
        let diskError: DatabaseError?
    }

    static let diskFailures: [ResultCode] = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_NOTADB]

    private struct State {
        var pending: [Pending] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    /// Bounds one transaction's length so the first caller of a burst is not held too long.
    private let largestBatch = 256

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = Pending(
                run: { db in
                    let outcome = Result { try Self.inSavepoint(db, body) }
                    var diskError: DatabaseError?
                    if case .failure(let error as DatabaseError) = outcome, Self.diskFailures.contains(error.resultCode) { diskError = error }
                    return Ran(answer: { continuation.resume(with: outcome) }, diskError: diskError)
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
                Task { await self.drain() }
            }
        }
    }

    /// Runs batches until nothing is waiting. Only one drain runs at a time.
    private func drain() async {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.pending.prefix(largestBatch))
                state.pending.removeFirst(batch.count)
                state.draining = !batch.isEmpty
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                // A lone write (a quiet kiosk) needs no savepoint: the transaction is its own,
                // and its failure rolls the transaction back and is its answer.
                if batch.count == 1 {
                    try await pool.write { db in try batch[0].runAlone(db) }()
                    continue
                }
                let answers = try await pool.write { db in
                    let ran = batch.map { $0.run(db) }
                    // SQLite rolls the whole transaction back when the disk fails under one
                    // write: every caller hears the disk's error, not "transaction aborted".
                    if let cause = ran.lazy.compactMap(\.diskError).first { throw cause }
                    return ran.map(\.answer)
                }
                answers.forEach { $0() }
            } catch {
                batch.forEach { $0.fail(error) }
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
