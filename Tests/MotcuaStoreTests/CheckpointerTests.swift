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

        // Six rounds of a little over a threshold of WAL pages, a commit at a time, each given
        // the moment a checkpoint takes: the writer then starts the WAL over, so its file
        // never holds much more than a round.
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
        #expect(walPages < 3 * Int(Checkpointer.threshold), "the WAL was reused: \(walPages) pages")
        #expect(rows == 300)
        #expect(integrity == "ok")
    }
}
