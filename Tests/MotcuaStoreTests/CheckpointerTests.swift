import Foundation
import GRDB
import Testing
@testable import MotcuaStore

/// The WAL is copied back by the checkpointer's own connection, not by the writer, and
/// stays bounded while writes go on; nothing written is lost.
@Suite struct CheckpointerTests {
    @Test func theCheckpointerKeepsTheWALBoundedAndLosesNothing() async throws {
        let (store, path) = try temporaryStore()
        try await store.write { db in try db.execute(sql: "CREATE TABLE filler (n INTEGER, bytes BLOB)") }
        let pageSize = try await store.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }

        // Six rounds of a little over a threshold of WAL pages, a commit at a time (about 25
        // pages each), each given the moment a checkpoint takes.
        for round in 0..<6 {
            for n in 0..<50 {
                try await store.write { db in
                    try db.execute(sql: "INSERT INTO filler (n, bytes) VALUES (?, zeroblob(100000))", arguments: [round * 50 + n])
                }
            }
            store.checkpointer.idle()
        }
        let walPages = ((try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) / pageSize
        let checkpoints = store.checkpointer.completed.load(ordering: .relaxed)
        try store.close()
        let reopened = try DatabaseQueue(path: path)
        let rows = try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM filler") }
        let integrity = try await reopened.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }

        #expect(checkpoints >= 3, "the checkpointer ran (SQLite's own checkpoint would leave this at 0)")
        // A few commits past the backstop at most: the writer's own checkpoint gives way (busy)
        // while the checkpointer's runs, and tries again on the next commit.
        #expect(walPages <= Int(Checkpointer.backstop) + 250, "the WAL started over: \(walPages) pages")
        #expect(rows == 300)
        #expect(integrity == "ok")
    }

    /// With the checkpointer held, the writer checkpoints itself past the backstop, so the
    /// WAL is started over instead of growing without end.
    @Test func pastTheBackstopTheWriterCheckpointsItself() async throws {
        let (store, path) = try temporaryStore()
        try await store.write { db in try db.execute(sql: "CREATE TABLE filler (n INTEGER, bytes BLOB)") }
        let pageSize = try await store.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        let resume = store.checkpointer.pause()
        defer { resume() }

        // About one and a half backstops of pages, a commit (about 25 pages) at a time.
        let rows = Int(Checkpointer.backstop) * 3 / 2 / 25
        for n in 0..<rows {
            try await store.write { db in
                try db.execute(sql: "INSERT INTO filler (n, bytes) VALUES (?, zeroblob(100000))", arguments: [n])
            }
        }
        let walPages = ((try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) / pageSize
        let count = try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM filler") }

        #expect(store.checkpointer.completed.load(ordering: .relaxed) == 0, "the checkpointer was held throughout")
        #expect(walPages < Int(Checkpointer.backstop) * 5 / 4, "the WAL went on growing: \(walPages) pages")
        #expect(count == rows)
    }
}
