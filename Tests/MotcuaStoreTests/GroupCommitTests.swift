import Foundation
import GRDB
import Testing
@testable import MotcuaStore

/// Writes that share one transaction: each keeps its own outcome, and none is acknowledged
/// unless the shared transaction commits.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    /// A store with a scratch table, its writer kept busy for a moment and one shared write
    /// already waiting for it, so that the writes submitted meanwhile gather into the next batch.
    static func storeWithBusyWriter() async throws -> (Store, Task<Void, any Error>) {
        let (store, _) = try temporaryStore()
        try await store.write { db in
            try db.execute(sql: "CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, parentId INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
        }
        let busy = Task {
            try await store.write { _ in Thread.sleep(forTimeInterval: 0.4) }
        }
        try await Task.sleep(for: .milliseconds(100))
        let firstBatch = Task { try await store.writeShared { _ in } }
        try await Task.sleep(for: .milliseconds(50))
        return (store, Task { try await busy.value; try await firstBatch.value })
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
        let (store, busy) = try await Self.storeWithBusyWriter()

        let outcomes = await Self.sixWrites(store, refusedAfterWriting: true)
        try await busy.value

        #expect(outcomes == [1: true, 2: true, 3: false, 4: true, 5: true, 6: false])
        let kept = try await store.read { try Int.fetchAll($0, sql: "SELECT id FROM note ORDER BY id") }
        #expect(kept == [1, 2, 4, 5])
        // Run bare, the batch could not undo the refused inserts alone: it ran again in savepoints.
        #expect(store.groupCommit.reruns.load(ordering: .relaxed) >= 1)
    }

    @Test func aWriteRefusedBeforeWritingCostsTheBatchNoRerun() async throws {
        let (store, busy) = try await Self.storeWithBusyWriter()

        let outcomes = await Self.sixWrites(store, refusedAfterWriting: false)
        try await busy.value

        #expect(outcomes == [1: true, 2: true, 3: false, 4: true, 5: true, 6: false])
        let kept = try await store.read { try Int.fetchAll($0, sql: "SELECT id FROM note ORDER BY id") }
        #expect(kept == [1, 2, 4, 5])
        #expect(store.groupCommit.reruns.load(ordering: .relaxed) == 0)
    }

    @Test func aBatchThatCannotCommitAcknowledgesNobody() async throws {
        let (store, busy) = try await Self.storeWithBusyWriter()

        // Note 2 names a parent that does not exist; the deferred foreign key fails the commit.
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
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
        try await busy.value

        #expect(outcomes == [1: false, 2: false, 3: false])
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM note") } == 0)
        // The store goes on working after the failed batch.
        try await store.writeShared { db in try db.execute(sql: "INSERT INTO note (id) VALUES (7)") }
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM note") } == 1)
    }
}
