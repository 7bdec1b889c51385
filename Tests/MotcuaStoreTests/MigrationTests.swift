import Foundation
import GRDB
import MotcuaCore
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

    /// A booking made before codes were derived keeps its random code and is still found by
    /// it; the next booking gets a derived one.
    @Test func aBookingFromBeforeDerivedCodesKeepsItsCode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-codes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v19-indexes-no-query-reads")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO service (id, name, nameEn, kind, prefix) VALUES ('A', 'Hộ tịch', 'Civil status', 'submission', 'A');
                INSERT INTO slot (serviceId, start, "end", capacity, booked) VALUES ('A', '2030-01-02 01:00:00.000', '2030-01-02 01:30:00.000', 5, 1);
                INSERT INTO booking (code, slotId, serviceId, day, fullName, idHash, phone, status, createdAt, updatedAt)
                VALUES ('K7MQ3XHP', 1, 'A', '2030-01-02', 'Nguyễn Văn An', 'h', '0912345678', 'booked', '2029-12-30 01:00:00.000', '2029-12-30 01:00:00.000');
                """)
        }
        try queue.close()

        let store = try Store(path: path, sealer: testSealer)
        let old = try await store.booking(code: BookingCode(compact: "K7MQ3XHP")!)
        let new = try await store.book(
            slotId: 1, citizen: Citizen(fullName: "Trần Thị Bình", idNumber: "001203012345", phone: "0912345679"), rules: BookingRules(),
            now: Date(timeIntervalSince1970: 1_893_484_800), timeZone: saigon
        )

        #expect(old?.citizen.fullName == "Nguyễn Văn An")
        #expect(store.bookingCodes.firstDerivedId == 2)
        #expect(new.code == store.bookingCodes.cipher.code(for: 2))
        #expect(try await store.booking(code: new.code)?.citizen.fullName == "Trần Thị Bình")
        // The random code's index covers the old booking alone, and it is what finds it.
        let plan = try await store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM booking WHERE code = 'K7MQ3XHP' AND id < 2").map { $0["detail"] as String }.joined()
        }
        #expect(plan.contains("booking_code_random"), "\(plan)")
        #expect(try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking") } == 2)
        #expect(try await store.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")

        // Should an old random code be the one the next number derives, that number is skipped.
        let clash = store.bookingCodes.cipher.code(for: 3)
        try await store.write { db in try db.execute(sql: "UPDATE booking SET code = ? WHERE id = 1", arguments: [clash.compact]) }
        let third = try await store.book(
            slotId: 1, citizen: Citizen(fullName: "Lê Văn Cường", idNumber: "001203012346", phone: "0912345670"), rules: BookingRules(),
            now: Date(timeIntervalSince1970: 1_893_484_800), timeZone: saigon
        )
        #expect(third.code == store.bookingCodes.cipher.code(for: 4))
        #expect(try await store.booking(code: clash)?.citizen.fullName == "Nguyễn Văn An")
        #expect(try await store.booking(code: third.code)?.citizen.fullName == "Lê Văn Cường")
    }
}
