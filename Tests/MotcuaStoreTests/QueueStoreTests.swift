import Foundation
import GRDB
import MotcuaCore
import Testing
@testable import MotcuaStore

@Suite struct QueueStoreTests {
    let policy = QueuePolicy()

    @Test func concurrentIssuingNeverRepeatsANumber() async throws {
        let site = try await BookingSite.make()

        let tickets = try await withThrowingTaskGroup(of: Ticket.self) { group in
            for _ in 0..<500 {
                group.addTask { try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(Set(tickets.map(\.number)).count == 500)
        #expect(tickets.map(\.sequence).sorted() == Array(1...500))
        #expect(Set(tickets.map(\.number)).contains("A001") && Set(tickets.map(\.number)).contains("A500"))
    }

    @Test func numberingRestartsAtTheSiteMidnightNotUTC() async throws {
        let site = try await BookingSite.make()
        let midnight = site.today.adding(days: 1).start(in: saigon)    // 17:00Z the day before

        let late = try await site.store.issueTicket(serviceId: "B", priority: nil, now: midnight.addingTimeInterval(-60), timeZone: saigon)
        let later = try await site.store.issueTicket(serviceId: "B", priority: nil, now: midnight.addingTimeInterval(-1), timeZone: saigon)
        let next = try await site.store.issueTicket(serviceId: "B", priority: nil, now: midnight, timeZone: saigon)

        #expect([late.number, later.number, next.number] == ["B001", "B002", "B001"])
        #expect(next.day == site.today.adding(days: 1))
    }

    @Test func aRestartMidDayKeepsTheQueueAndTheNumbering() async throws {
        let (store, path) = try temporaryStore()
        let today = LocalDate(year: 2027, month: 3, day: 1)!
        let now = today.start(in: saigon).addingTimeInterval(9 * 3600)
        _ = try await DemoCentre.seedIfEmpty(store, today: today, timeZone: saigon, at: now)
        _ = try await store.issueTicket(serviceId: "C", priority: nil, now: now, timeZone: saigon)
        let second = try await store.issueTicket(serviceId: "C", priority: nil, now: now, timeZone: saigon)
        let called = try #require(try await store.callNext(counterId: 5, policy: policy, now: now, timeZone: saigon))
        try store.close()

        let reopened = try Store(path: path, sealer: testSealer)
        let third = try await reopened.issueTicket(serviceId: "C", priority: nil, now: now.addingTimeInterval(60), timeZone: saigon)
        let next = try await reopened.callNext(counterId: 5, policy: policy, now: now.addingTimeInterval(120), timeZone: saigon)

        #expect(called.number == "C001")
        #expect(third.number == "C003")
        #expect(next?.id == second.id)
        #expect(try await reopened.ticket(id: called.id)?.status == .done, "calling next finished the previous one")
    }

    @Test func priorityThenFirstComeFirstServedAtACounterOfItsService() async throws {
        let site = try await BookingSite.make()
        let walkIn = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        let elderly = try await site.store.issueTicket(serviceId: "A", priority: .elderly, now: site.now.addingTimeInterval(60), timeZone: saigon)
        _ = try await site.store.issueTicket(serviceId: "B", priority: nil, now: site.now, timeZone: saigon)

        let first = try await site.store.callNext(counterId: 1, policy: policy, now: site.now.addingTimeInterval(120), timeZone: saigon)
        let second = try await site.store.callNext(counterId: 1, policy: policy, now: site.now.addingTimeInterval(180), timeZone: saigon)
        let third = try await site.store.callNext(counterId: 1, policy: policy, now: site.now.addingTimeInterval(240), timeZone: saigon)

        #expect(first?.id == elderly.id)
        #expect(second?.id == walkIn.id)
        #expect(third == nil, "counter 1 serves only A")
        await #expect(throws: QueueRefusal.counterClosed) {
            _ = try await site.store.callNext(counterId: 6, policy: policy, now: site.now, timeZone: saigon)
        }
    }

    @Test func recallNoShowTransferFinishAndRate() async throws {
        let site = try await BookingSite.make()
        let ticket = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        let other = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        _ = try await site.store.callNext(counterId: 1, policy: policy, now: site.now.addingTimeInterval(60), timeZone: saigon)

        let recalled = try await site.store.recall(ticketId: ticket.id, now: site.now.addingTimeInterval(90))
        let moved = try await site.store.transfer(ticketId: ticket.id, toService: "B", toCounter: nil, now: site.now.addingTimeInterval(120))
        let atB = try await site.store.callNext(counterId: 4, policy: policy, now: site.now.addingTimeInterval(130), timeZone: saigon)
        let done = try await site.store.finish(ticketId: ticket.id, now: site.now.addingTimeInterval(600))
        let rated = try await site.store.rate(ticketId: ticket.id, score: 4, now: site.now.addingTimeInterval(660))
        _ = try await site.store.callNext(counterId: 1, policy: policy, now: site.now.addingTimeInterval(700), timeZone: saigon)
        let absent = try await site.store.markNoShow(ticketId: other.id, now: site.now.addingTimeInterval(800))

        #expect(recalled.recalls == 1)
        #expect(moved.serviceId == "B" && moved.number == "A001" && moved.issuedAt == ticket.issuedAt && moved.status == .waiting)
        #expect(atB?.id == ticket.id)
        #expect(done.status == .done && done.finishedAt == site.now.addingTimeInterval(600))
        #expect(rated.rating == 4)
        await #expect(throws: QueueRefusal.alreadyRated) { _ = try await site.store.rate(ticketId: ticket.id, score: 1, now: site.now) }
        await #expect(throws: QueueRefusal.wrongState(.done)) { _ = try await site.store.recall(ticketId: ticket.id, now: site.now) }
        #expect(absent.status == .noShow)
        let kinds = try await site.store.pendingEvents().map(\.kind)
        #expect(kinds == [
            "ticket.issued", "ticket.issued", "ticket.called", "ticket.recalled", "ticket.transferred", "ticket.called",
            "ticket.served", "ticket.rated", "ticket.called", "ticket.no_show",
        ])
    }

    /// Found by the API fuzzer: A001 moved to service B, which had issued B001, broke the
    /// old (service, day, sequence) key with a 500.
    @Test func aTransferredTicketKeepsItsNumberBesideTheSameSequenceOfItsNewService() async throws {
        let site = try await BookingSite.make()
        let a1 = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now, timeZone: saigon)
        let b1 = try await site.store.issueTicket(serviceId: "B", priority: nil, now: site.now, timeZone: saigon)
        _ = try await site.store.setCounter(1, open: true)
        _ = try await site.store.callNext(counterId: 1, policy: policy, now: site.now, timeZone: saigon)

        let moved = try await site.store.transfer(ticketId: a1.id, toService: "B", toCounter: nil, now: site.now.addingTimeInterval(60))
        let a2 = try await site.store.issueTicket(serviceId: "A", priority: nil, now: site.now.addingTimeInterval(90), timeZone: saigon)
        let b2 = try await site.store.issueTicket(serviceId: "B", priority: nil, now: site.now.addingTimeInterval(90), timeZone: saigon)

        #expect(moved.serviceId == "B" && moved.number == "A001")
        #expect([b1.number, a2.number, b2.number] == ["B001", "A002", "B002"], "no number comes back")
        let numbers = try await site.store.tickets(day: LocalDate(site.now, in: saigon)).map(\.number)
        #expect(Set(numbers).count == numbers.count)
    }

    @Test func aBookingChecksInOnceAndIsServedAheadOfWalkInsWhenDue() async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("A", hour: 10)   // 10:00, clock at 08:00
        let booking = try await site.book(slot, citizen(1))
        let walkIn = try await site.store.issueTicket(serviceId: "A", priority: nil, now: slot.start.addingTimeInterval(-30 * 60), timeZone: saigon)

        let checkIn = try await site.store.checkIn(code: booking.code, policy: policy, now: slot.start.addingTimeInterval(-10 * 60), timeZone: saigon)
        let first = try await site.store.callNext(counterId: 2, policy: policy, now: slot.start, timeZone: saigon)

        #expect(checkIn.outcome == .onTime)
        #expect(checkIn.ticket.bookingCode == booking.code)
        #expect(checkIn.ticket.bookedStart == slot.start)
        #expect(first?.id == checkIn.ticket.id, "a due booking goes ahead of an earlier walk-in")
        #expect(first?.id != walkIn.id)
        #expect(try await site.store.booking(code: booking.code)?.status == .checkedIn)
        await #expect(throws: CheckInError.bookingNotActive(.checkedIn)) {
            _ = try await site.store.checkIn(code: booking.code, policy: policy, now: slot.start, timeZone: saigon)
        }
    }

    @Test func aBookingForAnotherDayIsRefusedAtTheKiosk() async throws {
        let site = try await BookingSite.make()
        let booking = try await site.book(try await site.slot("A", day: 1, hour: 10), citizen(2))

        await #expect(throws: CheckInError.refused(.anotherDay)) {
            _ = try await site.store.checkIn(code: booking.code, policy: policy, now: site.now, timeZone: saigon)
        }
        #expect(try await site.store.booking(code: booking.code)?.status == .booked)
    }

    @Test func aBookingTheCentreHoldsChecksInOnceOnWhatItsPassVouches() async throws {
        let site = try await BookingSite.make()
        let start = LocalDate(site.now, in: saigon).start(in: saigon).addingTimeInterval(10 * 3600)
        let code = try #require(BookingCode(compact: "K7MQ3XHP"))
        let vouched = VouchedBooking(code: code, serviceId: "B", start: start)
        let other = try #require(BookingCode(compact: "R4TW9NBE"))

        let checkIn = try await site.store.checkIn(code: code, vouched: vouched, policy: policy, now: start.addingTimeInterval(-5 * 60), timeZone: saigon)
        let events = try await site.store.pendingEvents().filter { $0.kind == "booking.checked_in" }

        #expect(checkIn.outcome == .onTime)
        #expect(checkIn.ticket.serviceId == "B" && checkIn.ticket.bookingCode == code && checkIn.ticket.bookedStart == start)
        #expect(events.count == 1 && events[0].payload.contains("K7MQ3XHP"), "the centre learns of it through the outbox")
        await #expect(throws: CheckInError.bookingNotActive(.checkedIn), "the same pass twice is one check-in") {
            _ = try await site.store.checkIn(code: code, vouched: vouched, policy: policy, now: start, timeZone: saigon)
        }
        await #expect(throws: CheckInError.bookingNotFound, "a pass vouches only for its own booking") {
            _ = try await site.store.checkIn(code: other, vouched: vouched, policy: policy, now: start, timeZone: saigon)
        }
    }
}
