import Foundation
import GRDB
import MotcuaCore
import Testing
@testable import MotcuaStore

/// A full disk, made real by SQLite's own size limit on the writer (`max_page_count`), and
/// a read-only database, by SQLite's `query_only` on the writer: the device is faked, our
/// code is not.
@Suite struct StorageFailureTests {
    @Test func aFullDiskRefusesTicketsAsSuchLosesNothingAndServiceResumesWithRoom() async throws {
        let site = try await BookingSite.make()
        var issued: [Ticket] = []
        for _ in 0..<5 { issued.append(try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)) }
        let pages = try await site.store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            return pages
        }

        // Tickets until the file would have to grow; each either commits whole or is refused.
        var refusal: (any Error)?
        for _ in 0..<5000 where refusal == nil {
            do {
                issued.append(try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon))
            } catch {
                refusal = error
            }
        }
        try await site.store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages * 100)") }
        let afterRoom = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)

        #expect(refusal as? StorageFailure == .full, "refused by \(String(describing: refusal)) after \(issued.count)")
        let integrity = try await site.store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        let stored = try await site.store.tickets(day: site.today).map(\.number)
        #expect(stored == (issued + [afterRoom]).map(\.number), "every acknowledged ticket is there, and nothing else")
        #expect(afterRoom.number == String(format: "A%03d", issued.count + 1), "the refused one spent no number")
    }

    @Test func aReadOnlyDatabaseRefusesWritesAsUnavailableKeepsEverythingAndResumes() async throws {
        let site = try await BookingSite.make()
        let before = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        let slot = try await site.slot("A", hour: 10)
        try await site.store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }

        var refusals: [StorageFailure?] = []
        do {
            _ = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        } catch {
            refusals.append(error as? StorageFailure)
        }
        do {
            _ = try await site.book(slot, citizen(1))
        } catch {
            refusals.append(error as? StorageFailure)
        }
        try await site.store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 0") }
        let after = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)

        #expect(refusals.count == 2 && refusals.allSatisfy { if case .unavailable(let code) = $0 { code.contains("readonly") } else { false } },
                "\(refusals)")
        #expect(try await site.reloaded(slot).booked == 0, "the refused booking took no place")
        #expect(try await site.store.tickets(day: site.today).map(\.number) == [before.number, after.number])
        #expect(after.number == "A002", "the refused ticket spent no number")
        let integrity = try await site.store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }
}
