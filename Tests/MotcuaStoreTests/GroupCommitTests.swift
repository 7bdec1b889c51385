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

    /// A store with scratch tables and its writer held by a plain write until `release`, so
    /// that the shared writes submitted meanwhile wait together and run as one batch. Waiting
    /// is not timed: under a loaded test run the writes may take seconds to be submitted.
    static func storeWithHeldWriter() async throws -> (store: Store, release: @Sendable () -> Void, holding: Task<Void, any Error>) {
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
        return (store, { gate.signal() }, holding)
    }

    /// Returns once `count` shared writes wait for the writer.
    static func untilWaiting(_ store: Store, _ count: Int) async throws {
        while store.groupCommit.waiting < count { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Six writes gathered into one batch; the third and sixth throw, before or after writing.
    static func sixWrites(_ store: Store, refusedAfterWriting: Bool) async -> [Int: Bool] {
        await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 1...6 {
                group.addTask {
                    do {
                        try await store.writeShared { db in
                            if n.isMultiple(of: 3) && !refusedAfterWriting { throw Refused() }
                            try db.execute(sql: "INSERT INTO note (id) VALUES (?)", arguments: [n])
                            if n.isMultiple(of: 3) { throw Refused() }
                        }
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
    }

    @Test func aWriteRefusedAfterWritingUndoesOnlyItself() async throws {
        let (store, release, holding) = try await Self.storeWithHeldWriter()

        async let writes = Self.sixWrites(store, refusedAfterWriting: true)
        try await Self.untilWaiting(store, 6)
        release()
        try await holding.value
        let outcomes = await writes

        #expect(outcomes == [1: true, 2: true, 3: false, 4: true, 5: true, 6: false])
        let kept = try await store.read { try Int.fetchAll($0, sql: "SELECT id FROM note ORDER BY id") }
        #expect(kept == [1, 2, 4, 5])
        // Run bare, the batch could not undo the refused inserts alone: it ran again in savepoints.
        #expect(store.groupCommit.reruns.load(ordering: .relaxed) == 1)
    }

    @Test func aWriteRefusedBeforeWritingCostsTheBatchNoRerun() async throws {
        let (store, release, holding) = try await Self.storeWithHeldWriter()

        async let writes = Self.sixWrites(store, refusedAfterWriting: false)
        try await Self.untilWaiting(store, 6)
        release()
        try await holding.value
        let outcomes = await writes

        #expect(outcomes == [1: true, 2: true, 3: false, 4: true, 5: true, 6: false])
        let kept = try await store.read { try Int.fetchAll($0, sql: "SELECT id FROM note ORDER BY id") }
        #expect(kept == [1, 2, 4, 5])
        #expect(store.groupCommit.reruns.load(ordering: .relaxed) == 0)
    }

    @Test func aBatchThatCannotCommitAcknowledgesNobody() async throws {
        let (store, release, holding) = try await Self.storeWithHeldWriter()

        // Note 2 names a parent that does not exist; the deferred foreign key fails the commit.
        async let writes = withTaskGroup(of: (Int, Bool).self) { group in
            for n in 1...3 {
                group.addTask {
                    do {
                        try await store.writeShared { db in
                            try db.execute(sql: "INSERT INTO note (id, parentId) VALUES (?, ?)", arguments: [n, n == 2 ? 99 : nil])
                        }
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        try await Self.untilWaiting(store, 3)
        release()
        try await holding.value
        let outcomes = await writes

        #expect(outcomes == [1: false, 2: false, 3: false])
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM note") } == 0)
        // The store goes on working after the failed batch.
        try await store.writeShared { db in try db.execute(sql: "INSERT INTO note (id) VALUES (7)") }
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM note") } == 1)
    }
}
