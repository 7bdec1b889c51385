import Foundation
import GRDB
import MotcuaCore
import Testing
@testable import MotcuaStore

/// The centre's ingest of site events and a site's outbox bookkeeping, on real databases.
@Suite struct SyncStoreTests {
    let now = Date(timeIntervalSince1970: 1_803_866_400)  // 2027-03-01 09:00 +07:00

    /// A site's real outbox after issuing, calling and serving tickets.
    func siteEvents() async throws -> (site: BookingSite, events: [ReceivedEvent]) {
        let site = try await BookingSite.make()
        let first = try await site.store.issueTicket(serviceId: "A", priority: nil, now: now, timeZone: saigon)
        _ = try await site.store.issueTicket(serviceId: "A", priority: nil, now: now, timeZone: saigon)
        _ = try await site.store.setCounter(1, open: true)
        _ = try await site.store.callNext(counterId: 1, policy: QueuePolicy(), now: now, timeZone: saigon)
        _ = try await site.store.finish(ticketId: first.id, now: now.addingTimeInterval(300))
        let events = try await site.store.pendingEvents().map {
            ReceivedEvent(eventId: $0.eventId, seq: $0.id!, kind: $0.kind, payload: $0.payload, occurredAt: $0.occurredAt)
        }
        return (site, events)
    }

    @Test func aRepeatedOrOverlappingBatchChangesNothing() async throws {
        let (_, events) = try await siteEvents()
        let (centre, _) = try temporaryStore()

        let first = try await centre.ingest(siteId: "hoi-an", events: Array(events.prefix(3)), now: now)
        let overlapping = try await centre.ingest(siteId: "hoi-an", events: Array(events.dropFirst(1)), now: now)
        let repeated = try await centre.ingest(siteId: "hoi-an", events: events, now: now)

        #expect(first == IngestReceipt(accepted: 3, duplicates: 0, cursor: events[2].seq))
        #expect(overlapping == IngestReceipt(accepted: events.count - 3, duplicates: 2, cursor: events.last!.seq))
        #expect(repeated == IngestReceipt(accepted: 0, duplicates: events.count, cursor: events.last!.seq))
        #expect(try await centre.receivedEventIds(siteId: "hoi-an") == events.map(\.eventId))
        let summary = try #require(try await centre.siteSummaries(day: LocalDate(year: 2027, month: 3, day: 1)!).first)
        #expect(summary.eventsReceived == events.count && summary.lastEventAt == events.map(\.occurredAt).max())
        #expect(summary.ticketsIssued == 2 && summary.served == 1 && summary.waiting == 1, "the tickets follow their events")
    }

    @Test func aLateCopyOfAnOldBatchDoesNotMoveATicketBack() async throws {
        let (_, events) = try await siteEvents()
        let (centre, _) = try temporaryStore()

        _ = try await centre.ingest(siteId: "hue", events: events, now: now)
        // The first batch's request was delayed in the network and arrives last.
        _ = try await centre.ingest(siteId: "hue", events: Array(events.prefix(1)), now: now)

        let summary = try #require(try await centre.siteSummaries(day: LocalDate(year: 2027, month: 3, day: 1)!).first)
        #expect(summary.served == 1 && summary.waiting == 1)
    }

    @Test func aTicketEventWithoutItsTicketRefusesTheWholeBatch() async throws {
        let (_, events) = try await siteEvents()
        let (centre, _) = try temporaryStore()
        let broken = ReceivedEvent(
            eventId: "broken", seq: events.last!.seq + 1, kind: "ticket.called", payload: #"{"ticketId": 1}"#, occurredAt: now
        )

        await #expect(throws: SyncRefusal.malformedPayload(eventId: "broken")) {
            try await centre.ingest(siteId: "hue", events: events + [broken], now: now)
        }

        #expect(try await centre.receivedEventIds(siteId: "hue").isEmpty, "nothing of the batch is kept")
    }

    @Test func sitesAreKeptApartEvenWithTheSameEventIds() async throws {
        let (_, events) = try await siteEvents()
        let (centre, _) = try temporaryStore()

        _ = try await centre.ingest(siteId: "a", events: events, now: now)
        let other = try await centre.ingest(siteId: "b", events: events, now: now)

        #expect(other.accepted == events.count)
        #expect(try await centre.siteSummaries(day: LocalDate(year: 2027, month: 3, day: 1)!).map(\.siteId) == ["a", "b"])
    }

    @Test func theOutboxIsMarkedSentUpToTheAcknowledgedEvent() async throws {
        let (site, events) = try await siteEvents()

        let before = try await site.store.outboxBacklog()
        try await site.store.markSent(through: events[2].seq, at: now)
        let after = try await site.store.outboxBacklog()

        #expect(before.pending == events.count && before.oldestPendingAt == events.first?.occurredAt)
        #expect(after.pending == events.count - 3 && after.oldestPendingAt == events[3].occurredAt)
        #expect(try await site.store.pendingEvents().map(\.eventId) == events.dropFirst(3).map(\.eventId))
        #expect(after.lag(now: events[3].occurredAt.addingTimeInterval(2.5)) == 2.5)
    }

    @Test func theCentresCatalogReplacesTheSitesButForServicesItLacks() async throws {
        let site = try await BookingSite.make()
        var procedures = try await site.store.procedures()
        let dropped = procedures.removeFirst().code
        procedures[0].name = "Tên mới từ trung tâm"
        var foreign = procedures[1]
        foreign.code = "9.999999"
        foreign.serviceId = "Z"  // no such service at this site
        let notice = HolidayNotice(year: 2027, daysOff: [.init(date: LocalDate(year: 2027, month: 3, day: 3)!, name: "Nghỉ bầu cử")])

        let applied = try await site.store.applyCentreConfig(
            passKeys: ["k1": "public-1"], holidayNotices: [notice], procedures: procedures + [foreign], at: now
        )

        let after = try await site.store.procedures()
        #expect(applied.procedures == procedures.count && applied.skipped == 1)
        #expect(!after.contains { $0.code == dropped || $0.code == "9.999999" })
        #expect(after.first { $0.code == procedures[0].code }?.name == "Tên mới từ trung tâm")
        #expect(try await site.store.holidayNotices() == [notice])
    }

    @Test func theCentresPassKeysAreKeptAndEachConfigurationReplacesThem() async throws {
        let site = try await BookingSite.make()
        #expect(try await site.store.centrePassKeys().isEmpty)

        try await site.store.applyCentreConfig(passKeys: ["old": "public-old", "new": "public-new"], holidayNotices: [], procedures: [], at: now)
        let during = try await site.store.centrePassKeys()
        try await site.store.applyCentreConfig(passKeys: ["new": "public-new"], holidayNotices: [], procedures: [], at: now)
        let after = try await site.store.centrePassKeys()

        #expect(during == ["old": "public-old", "new": "public-new"])
        #expect(after == ["new": "public-new"])
    }

    @Test func theReportAcrossSitesCountsEachSitesDayAndItsWaitsFromTheEventTimes() async throws {
        // Hoi An: two tickets at 09:00, the first called at 09:04 and served; the second
        // still waits. Hue: one ticket at 09:00, called at 09:10, then no-show.
        let (_, events) = try await siteEvents()
        let called = try #require(events.firstIndex { $0.kind == "ticket.called" })
        let hoiAn = events.enumerated().map { index, event in
            ReceivedEvent(eventId: event.eventId, seq: event.seq, kind: event.kind, payload: event.payload,
                          occurredAt: index == called ? now.addingTimeInterval(240) : event.occurredAt)
        }
        let hue = try await BookingSite.make()
        let ticket = try await hue.store.issueTicket(serviceId: "A", priority: nil, now: now, timeZone: saigon)
        _ = try await hue.store.setCounter(1, open: true)
        _ = try await hue.store.callNext(counterId: 1, policy: QueuePolicy(), now: now.addingTimeInterval(600), timeZone: saigon)
        _ = try await hue.store.markNoShow(ticketId: ticket.id, now: now.addingTimeInterval(900))
        let hueEvents = try await hue.store.pendingEvents().map {
            ReceivedEvent(eventId: $0.eventId, seq: $0.id!, kind: $0.kind, payload: $0.payload, occurredAt: $0.occurredAt)
        }
        let (centre, _) = try temporaryStore()
        _ = try await centre.ingest(siteId: "hoi-an", events: hoiAn, now: now)
        _ = try await centre.ingest(siteId: "hue", events: hueEvents, now: now)
        let day = LocalDate(year: 2027, month: 3, day: 1)!

        let report = try await centre.siteDays(from: day, to: day)
        let dayBefore = try await centre.siteDays(from: day.adding(days: -1), to: day.adding(days: -1))

        #expect(report.map(\.siteId) == ["hoi-an", "hue"])
        #expect(report.map { [$0.issued, $0.served, $0.noShows, $0.open, $0.waitsCounted] } == [[2, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
        #expect(abs((report[0].averageWaitSeconds ?? 0) - 240) < 0.01 && abs((report[1].averageWaitSeconds ?? 0) - 600) < 0.01)
        #expect(dayBefore.isEmpty)
    }
}
