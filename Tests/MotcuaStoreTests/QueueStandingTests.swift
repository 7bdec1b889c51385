import Foundation
import FuzzSupport
import GRDB
import MotcuaCore
import Testing
@testable import MotcuaStore

/// The store counts a ticket's place by index; the policy ranks a whole line. They must agree.
@Suite struct QueueStandingTests {
    @Test(arguments: 1...12)
    func theCountedPositionIsThePolicysPosition(seed: UInt64) async throws {
        let site = try await BookingSite.make()
        let policy = QueuePolicy()
        let opening = site.today.start(in: saigon).addingTimeInterval(7.5 * 3600)
        let now = opening.addingTimeInterval(90 * 60)
        // A hall of tickets in every state: walk-ins, priority, checked-in bookings due or
        // not, tickets transferred to a counter, some already called or done; equal issue
        // times happen (one kiosk burst), so ids must break ties.
        try await site.store.write { db in
            var random = SplitMix64(seed: seed)
            for sequence in 1...60 {
                let service = ["A", "B"].randomElement(using: &random)!
                let issuedAt = opening.addingTimeInterval(Double(Int.random(in: 0..<40, using: &random)) * 120)
                let priority: PriorityCategory? = Int.random(in: 0..<5, using: &random) == 0 ? .elderly : nil
                let bookedStart: Date? = Int.random(in: 0..<5, using: &random) == 0
                    ? now.addingTimeInterval(Double(Int.random(in: -3...3, using: &random)) * 300) : nil
                let counter: Int? = Int.random(in: 0..<8, using: &random) == 0 ? Int.random(in: 1...3, using: &random) : nil
                let status = Int.random(in: 0..<4, using: &random) == 0 ? "done" : "waiting"
                try db.execute(sql: """
                    INSERT INTO ticket (serviceId, day, sequence, number, status, priority, bookedStart, counterId, issuedAt, recalls)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                    """, arguments: [service, site.today.iso, sequence, "\(service)\(sequence)", status, priority?.rawValue, bookedStart, counter, issuedAt])
            }
        }
        try await expectPositionsAgree(site, policy: policy, now: now, seed: seed)

        // Then the hall moves: called, finished, sent to a counter or another service, back
        // in line. The lines' lengths the database keeps must follow every move.
        try await site.store.write { db in
            var random = SplitMix64(seed: seed &+ 1000)
            for _ in 1...40 {
                try db.execute(sql: "UPDATE ticket SET status = ?, counterId = ?, serviceId = ? WHERE id = ?", arguments: [
                    ["waiting", "waiting", "called", "done", "no_show"].randomElement(using: &random)!,
                    Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...3, using: &random) : nil,
                    ["A", "B"].randomElement(using: &random)!,
                    Int.random(in: 1...60, using: &random),
                ])
            }
            try db.execute(sql: "DELETE FROM ticket WHERE id = ?", arguments: [Int.random(in: 1...60, using: &random)])
        }
        try await expectPositionsAgree(site, policy: policy, now: now, seed: seed)
    }

    private func expectPositionsAgree(_ site: BookingSite, policy: QueuePolicy, now: Date, seed: UInt64) async throws {
        let waiting = try await site.store.queueSnapshot(day: site.today).waiting
        for entry in waiting {
            let standing = try #require(try await site.store.standing(of: entry.id, policy: policy, now: now))
            #expect(standing.position == policy.position(of: entry, among: waiting, now: now), "seed \(seed), ticket \(entry.id)")
        }
        #expect(waiting.count > 15)
        let kept = try await site.store.read { db in
            try Row.fetchAll(db, sql: "SELECT serviceId, waiting FROM ticketLine WHERE day = ? AND waiting > 0 ORDER BY serviceId", arguments: [site.today.iso])
                .map { "\($0["serviceId"] as String)=\($0["waiting"] as Int)" }
        }
        let counted = ["A", "B"].compactMap { service -> String? in
            let n = waiting.filter { $0.serviceId == service && $0.transferredToCounter == nil }.count
            return n > 0 ? "\(service)=\(n)" : nil
        }
        #expect(kept == counted, "seed \(seed)")
    }

    @Test func aTicketNoLongerWaitingHasNoStanding() async throws {
        let site = try await BookingSite.make()
        let ticket = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        _ = try await site.store.callNext(counterId: 1, policy: QueuePolicy(), now: site.now, timeZone: saigon)

        #expect(try await site.store.standing(of: ticket.id, policy: QueuePolicy(), now: site.now) == nil)
    }
}
