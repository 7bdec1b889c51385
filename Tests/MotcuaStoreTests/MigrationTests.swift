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
}
