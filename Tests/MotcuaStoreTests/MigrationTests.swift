import Foundation
import GRDB
import Testing
@testable import MotcuaStore

@Suite struct MigrationTests {
    /// Fixtures/release-1.sql is a dump of a database made by the first released migration
    /// set (with demo data). Every later release must open it and keep its rows.
    @Test func firstReleaseDatabaseMigratesToLatestWithDataIntact() async throws {
        let fixture = try #require(Bundle.module.url(forResource: "Fixtures/release-1", withExtension: "sql"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try await queue.writeWithoutTransaction { db in try db.execute(sql: try String(contentsOf: fixture, encoding: .utf8)) }
        try queue.close()

        let store = try Store(path: path, sealer: testSealer)

        #expect(try store.appliedMigrations() == Migrations.migrator.migrations.sorted())
        let services = try await store.services()
        #expect(services.map(\.prefix) == ["A", "B", "C", "K", "N"])
        #expect(services.first?.name == "Hộ tịch – Chứng thực")
        let procedures = try await store.procedures()
        #expect(procedures.count >= 10)
        #expect(procedures.allSatisfy { !$0.documents.isEmpty })
        let counters = try await store.counters()
        #expect(counters.first { $0.id == 3 }?.serviceIds == ["A", "B"])
        let integrity = try await store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    /// Every index of a booking or a ticket is written by each new one, so none may be one
    /// that another already serves (migrations v18, v19): a plain index whose columns lead
    /// another index of the same rows is written for nothing.
    @Test func bookingsAndTicketsWriteNoIndexAnotherServes() async throws {
        let (store, _) = try temporaryStore()

        struct Index { let name: String; let table: String; let plain: Bool; let partial: Bool; let columns: [String] }
        let indexes = try await store.read { db in
            try ["booking", "ticket"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT name, \"unique\", partial FROM pragma_index_list(?)", arguments: [table]).map { row in
                    Index(
                        name: row["name"], table: table, plain: !(row["unique"] as Bool), partial: row["partial"],
                        columns: try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [row["name"] as String])
                    )
                }
            }
        }

        #expect(indexes.count > 6)
        for index in indexes where index.plain && !index.partial {
            for other in indexes where other.table == index.table && other.name != index.name && !other.partial {
                #expect(Array(other.columns.prefix(index.columns.count)) != index.columns, "\(index.name) repeats the lead of \(other.name)")
            }
        }
        // Nothing reads bookings by service alone; the foreign key would, for a service deleted.
        #expect(!indexes.contains { $0.table == "booking" && $0.columns == ["serviceId"] })
        // The lookup of a ticket by its booking reads the unique index that stayed.
        let plan = try await store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM ticket WHERE bookingId = 1").map { $0["detail"] as String }.joined()
        }
        #expect(plan.contains("ticket_booking"), "\(plan)")
    }
}
