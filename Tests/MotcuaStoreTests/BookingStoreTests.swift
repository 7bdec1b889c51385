import Foundation
import GRDB
import MotcuaCore
import Synchronization
import Testing
@testable import MotcuaStore

/// Bookings against a real SQLite file: Monday 2027-03-01, demo slots, clock pinned at 08:00.
struct BookingSite {
    let store: Store
    let today = LocalDate(year: 2027, month: 3, day: 1)!
    var now: Date { today.start(in: saigon).addingTimeInterval(8 * 3600) }
    let rules = BookingRules()

    static func make() async throws -> BookingSite {
        let (store, _) = try temporaryStore()
        let site = BookingSite(store: store)
        _ = try await DemoCentre.seedIfEmpty(store, today: site.today, timeZone: saigon, at: site.now)
        return site
    }

    /// The service's first slot starting on `day` at or after `hour`:`minute` local time.
    func slot(_ serviceId: String, day: Int = 0, hour: Int = 9, minute: Int = 0) async throws -> Slot {
        let date = today.adding(days: day)
        let from = date.start(in: saigon).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
        let slots = try await store.slots(serviceId: serviceId, from: from, to: date.adding(days: 1).start(in: saigon))
        return try #require(slots.first)
    }

    func book(_ slot: Slot, _ citizen: Citizen, at time: Date? = nil) async throws -> Booking {
        try await store.book(
            slotId: slot.id, citizen: citizen, rules: rules, now: time ?? now, timeZone: saigon
        )
    }

    func setCapacity(_ slot: Slot, _ capacity: Int) async throws {
        try await store.write { db in try db.execute(sql: "UPDATE slot SET capacity = ? WHERE id = ?", arguments: [capacity, slot.id]) }
    }

    func reloaded(_ slot: Slot) async throws -> Slot {
        try #require(try await store.read { db in try Slot.fetchOne(db, key: slot.id) })
    }
}

/// A valid citizen numbered `n`: Hà Nội (001), born 2003, a distinct ID and phone per n.
func citizen(_ n: Int) -> Citizen {
    Citizen(fullName: "Nguyễn Văn \(["An", "Bình", "Chi", "Dũng"][n % 4])", idNumber: String(format: "001203%06d", n), phone: String(format: "09%08d", n))
}

@Suite struct BookingStoreTests {
    @Test func bookingTakesAPlaceAndCanBeReadBack() async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("A")

        let booking = try await site.book(slot, citizen(1))

        #expect(booking.status == .booked)
        #expect(booking.start == slot.start)
        #expect(try await site.reloaded(slot).booked == 1)
        let read = try await site.store.booking(code: booking.code)
        #expect(read == booking)
    }

    /// 256 clients at the same moment on a slot of capacity 10: exactly 10 bookings and 246
    /// clean refusals, repeated so an unlucky interleaving would show.
    @Test(arguments: 1...5)
    func hammeringOneSlotNeverOverbooks(round: Int) async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("B", hour: 14)
        try await site.setCapacity(slot, 10)

        let outcomes = await withTaskGroup(of: Result<Booking, any Error>.self) { group in
            for n in 0..<256 {
                group.addTask {
                    do { return .success(try await site.book(slot, citizen(round * 1000 + n))) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }

        let made = outcomes.compactMap { try? $0.get() }
        let refusals = outcomes.compactMap { outcome -> BookingRefusal? in
            if case .failure(let error) = outcome { return error as? BookingRefusal }
            return nil
        }
        #expect(made.count == 10)
        #expect(refusals.count == 246)
        #expect(refusals.allSatisfy { $0 == .slotFull })
        #expect(Set(made.map(\.code)).count == 10)
        #expect(try await site.reloaded(slot).booked == 10)
        let rows = try await site.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM booking WHERE slotId = ? AND status = 'booked'", arguments: [slot.id])
        }
        #expect(rows == 10)
    }

    @Test func onePersonOneBookingPerServicePerDayAndACapOnFutureBookings() async throws {
        let site = try await BookingSite.make()
        let person = citizen(7)
        _ = try await site.book(try await site.slot("A", hour: 9), person)

        await #expect(throws: BookingRefusal.duplicate) {
            _ = try await site.book(try await site.slot("A", hour: 14), person)
        }
        _ = try await site.book(try await site.slot("B", hour: 9), person)
        _ = try await site.book(try await site.slot("A", day: 1), person)
        await #expect(throws: BookingRefusal.limitReached(maximum: 3)) {
            _ = try await site.book(try await site.slot("C", day: 2), person)
        }
    }

    @Test func leadTimeAndHorizonAreEnforced() async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("A", hour: 9)   // 09:00, clock at 08:00

        await #expect(throws: BookingRefusal.tooSoon(minimumMinutes: 30)) {
            _ = try await site.book(slot, citizen(1), at: slot.start.addingTimeInterval(-29 * 60))
        }
        await #expect(throws: BookingRefusal.tooFarAhead(maximumDays: 30)) {
            _ = try await site.book(slot, citizen(2), at: slot.start.addingTimeInterval(-31 * 86_400))
        }
        let justInTime = try await site.book(slot, citizen(3), at: slot.start.addingTimeInterval(-30 * 60))
        #expect(justInTime.status == .booked)
    }

    @Test func closedSlotAndUnknownSlotAreRefused() async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("C")
        try await site.setCapacity(slot, 0)

        await #expect(throws: BookingRefusal.slotClosed) { _ = try await site.book(slot, citizen(1)) }
        await #expect(throws: BookingRefusal.slotNotFound) {
            _ = try await site.store.book(
                slotId: 999_999, citizen: citizen(1), rules: site.rules, now: site.now, timeZone: saigon
            )
        }
    }

    @Test func cancellingFreesThePlaceUntilTheCutoff() async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("A", hour: 10)
        let early = try await site.book(slot, citizen(1))
        let late = try await site.book(slot, citizen(2))

        let cancelled = try await site.store.cancelBooking(code: early.code, rules: site.rules, now: site.now)

        #expect(cancelled.status == .cancelled)
        #expect(try await site.reloaded(slot).booked == 1)
        await #expect(throws: BookingRefusal.notActive) {
            _ = try await site.store.cancelBooking(code: early.code, rules: site.rules, now: site.now)
        }
        await #expect(throws: BookingRefusal.cutoffPassed(minutes: 60)) {
            _ = try await site.store.cancelBooking(code: late.code, rules: site.rules, now: slot.start.addingTimeInterval(-59 * 60))
        }
        // The freed place can be taken again, and the same person may book again.
        _ = try await site.book(slot, citizen(1))
        #expect(try await site.reloaded(slot).booked == 2)
    }

    @Test func reschedulingMovesThePlaceAtomically() async throws {
        let site = try await BookingSite.make()
        let from = try await site.slot("A", hour: 9)
        let to = try await site.slot("A", day: 1, hour: 14)
        let full = try await site.slot("A", day: 2, hour: 8)
        try await site.setCapacity(full, 1)
        _ = try await site.book(full, citizen(99))
        let booking = try await site.book(from, citizen(1))

        await #expect(throws: BookingRefusal.slotFull) {
            _ = try await site.store.rescheduleBooking(code: booking.code, toSlot: full.id, rules: site.rules, now: site.now, timeZone: saigon)
        }
        #expect(try await site.reloaded(from).booked == 1, "a failed move keeps the old place")

        let moved = try await site.store.rescheduleBooking(code: booking.code, toSlot: to.id, rules: site.rules, now: site.now, timeZone: saigon)

        #expect(moved.slotId == to.id)
        #expect(moved.code == booking.code)
        #expect(try await site.reloaded(from).booked == 0)
        #expect(try await site.reloaded(to).booked == 1)
    }

    /// A booking's code is its number under the database's own key: distinct, found again,
    /// and unlike another database's codes for the same numbers.
    @Test func aBookingsCodeIsItsNumberUnderTheDatabasesKey() async throws {
        let site = try await BookingSite.make(), other = try await BookingSite.make()
        let slot = try await site.slot("A"), otherSlot = try await other.slot("A")

        var codes: [BookingCode] = [], otherCodes: [BookingCode] = []
        for n in 1...4 {
            codes.append(try await site.book(slot, citizen(n)).code)
            otherCodes.append(try await other.book(otherSlot, citizen(n)).code)
        }

        let ids = try await site.store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM booking ORDER BY id") }
        #expect(codes == ids.map { site.store.bookingCodes.cipher.code(for: UInt64($0)) })
        #expect(Set(codes).count == 4 && Set(codes).isDisjoint(with: otherCodes))
        for (n, code) in codes.enumerated() {
            #expect(try await site.store.booking(code: code)?.citizen == citizen(n + 1))
        }
        // A well-formed code this database never gave: the derived number has no booking.
        #expect(try await site.store.booking(code: otherCodes[0]) == nil)
    }

    @Test func theDatabaseItselfRefusesASecondActiveBookingForAPersonAndDay() async throws {
        let site = try await BookingSite.make()
        let booking = try await site.book(try await site.slot("A", hour: 9), citizen(5))
        let other = try await site.slot("A", hour: 15)

        let insert = """
            INSERT INTO booking (code, slotId, serviceId, day, fullName, idHash, phone, status, createdAt, updatedAt)
            VALUES (?, ?, 'A', ?, 'X', ?, '', 'booked', ?, ?)
            """
        let hash = site.store.sealer.matchingHash(booking.citizen.idNumber)

        // The same statement for another day goes in: the refusal below is the index's.
        try await site.store.write { db in
            try db.execute(sql: insert, arguments: ["YYYYYYYY", other.id, "2027-03-02", hash, site.now, site.now])
        }
        await #expect(throws: DatabaseError.self) {
            try await site.store.write { db in
                try db.execute(sql: insert, arguments: ["ZZZZZZZZ", other.id, "2027-03-01", hash, site.now, site.now])
            }
        }
    }
}

@Suite struct NoShowTests {
    @Test func bookingsNotCheckedInBecomeNoShowsAfterTheGraceAndAreCountedPerPerson() async throws {
        let site = try await BookingSite.make()
        let person = citizen(3)
        let nine = try await site.slot("A", hour: 9)          // 09:00–09:30
        let ten = try await site.slot("B", hour: 10)          // 10:00–10:30
        let first = try await site.book(nine, person)
        _ = try await site.book(ten, citizen(4))

        let early = try await site.store.markNoShows(graceMinutes: 15, now: nine.end.addingTimeInterval(14 * 60))
        let late = try await site.store.markNoShows(graceMinutes: 15, now: nine.end.addingTimeInterval(16 * 60))

        #expect(early == 0)
        #expect(late == 1)
        #expect(try await site.store.booking(code: first.code)?.status == .noShow)
        #expect(try await site.store.noShowCount(idNumber: person.idNumber) == 1)
        #expect(try await site.store.noShowCount(idNumber: citizen(4).idNumber) == 0)
        #expect(try await site.reloaded(nine).booked == 1, "a no-show keeps its place: the slot has passed")
    }
}
