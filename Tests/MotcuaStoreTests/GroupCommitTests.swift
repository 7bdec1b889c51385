import Foundation
import GRDB
import Synchronization
import Testing
@testable import MotcuaStore

/// Writes that share one transaction: each keeps its own outcome, and none is acknowledged
/// unless the shared transaction commits.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    /// Whether the writer is held (set on the writer's thread).
    final class Held: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// A store with scratch tables, and what `writes` returned when run against it as one
    /// batch: the writer is held by a plain write until `count` shared writes wait for it.
    /// Waiting is not timed: under a loaded test run the writes may take seconds to come.
    static func oneBatch<T: Sendable>(of count: Int, _ writes: @escaping @Sendable (Store) async -> T) async throws -> (Store, T) {
        let (store, _) = try temporaryStore()
        try await store.write { db in
            try db.execute(sql: "CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, parentId INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
        }
        let gate = DispatchSemaphore(value: 0), held = Held()
        let holding = Task {
            try await store.write { _ in
                held.value.store(true, ordering: .sequentiallyConsistent)
                gate.wait()
            }
        }
        while !held.value.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(5)) }
        let written = Task { await writes(store) }
        while store.groupCommit.waiting < count { try await Task.sleep(for: .milliseconds(5)) }
        gate.signal()
        try await holding.value
        return (store, await written.value)
    }

    /// Writes 1…`count` submitted at once as shared writes; whether each was acknowledged.
    static func outcomes(of count: Int, _ store: Store, _ write: @escaping @Sendable (Int, Database) throws -> Void) async -> [Int: Bool] {
        await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 1...count {
                group.addTask { (n, (try? await store.writeShared { db in try write(n, db) }) != nil) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
    }

    @Test(arguments: [false, true]) func aRefusedWriteUndoesOnlyItself(afterWriting: Bool) async throws {
        // The third and sixth throw, before or after writing.
        let (store, outcomes) = try await Self.oneBatch(of: 6) { store in
            await Self.outcomes(of: 6, store) { n, db in
                if n.isMultiple(of: 3) && !afterWriting { throw Refused() }
                try db.execute(sql: "INSERT INTO note (id) VALUES (?)", arguments: [n])
                if n.isMultiple(of: 3) { throw Refused() }
            }
        }

        #expect(outcomes == [1: true, 2: true, 3: false, 4: true, 5: true, 6: false])
        let kept = try await store.read { try Int.fetchAll($0, sql: "SELECT id FROM note ORDER BY id") }
        #expect(kept == [1, 2, 4, 5])
        // Run bare, the batch can undo a write refused after writing only by running again in
        // savepoints; one refused before writing left nothing to undo.
        #expect(store.groupCommit.reruns.load(ordering: .relaxed) == (afterWriting ? 1 : 0))
    }

    @Test func aBatchThatCannotCommitAcknowledgesNobody() async throws {
        // Note 2 names a parent that does not exist; the deferred foreign key fails the commit.
        let (store, outcomes) = try await Self.oneBatch(of: 3) { store in
            await Self.outcomes(of: 3, store) { n, db in
                try db.execute(sql: "INSERT INTO note (id, parentId) VALUES (?, ?)", arguments: [n, n == 2 ? 99 : nil])
            }
        }

        #expect(outcomes == [1: false, 2: false, 3: false])
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM note") } == 0)
        // The store goes on working after the failed batch.
        try await store.writeShared { db in try db.execute(sql: "INSERT INTO note (id) VALUES (7)") }
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM note") } == 1)
    }
}
