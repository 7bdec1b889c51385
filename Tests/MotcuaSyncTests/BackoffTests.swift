import Foundation
@testable import MotcuaStore
import Testing
@testable import MotcuaSync

@Suite struct BackoffTests {
    /// A generator that always draws its largest value, so each wait is the bound itself.
    struct Largest: RandomNumberGenerator {
        mutating func next() -> UInt64 { .max }
    }

    @Test func theBoundDoublesUpToTheCapAndSuccessResetsIt() {
        var backoff = Backoff(base: .milliseconds(200), cap: .seconds(5))
        var generator = Largest()

        let waits = (0..<8).map { _ in backoff.failed(using: &generator) }
        backoff.succeeded()

        let bounds: [Duration] = [.milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .milliseconds(3200), .seconds(5), .seconds(5), .seconds(5)]
        for (wait, bound) in zip(waits, bounds) {
            #expect(abs((wait - bound) / .microseconds(1)) < 1, "\(wait) vs \(bound)")
        }
        #expect(backoff.failures == 0 && backoff.bound == .zero)
    }

    @Test func waitsAreSpreadBetweenZeroAndTheBound() {
        var backoff = Backoff(base: .seconds(1), cap: .seconds(1))
        var generator = SystemRandomNumberGenerator()

        let waits = (0..<2_000).map { _ in backoff.failed(using: &generator) }

        #expect(waits.allSatisfy { $0 >= .zero && $0 <= .seconds(1) })
        // Full jitter: the draws cover the range, not a band near the bound.
        #expect(waits.contains { $0 < .milliseconds(100) } && waits.contains { $0 > .milliseconds(900) })
    }

    @Test func aBatchCarriesTheOutboxOrderAndExactTimes() throws {
        let occurred = Date(timeIntervalSince1970: 1_803_866_400.123)
        let outbox = [
            OutboxEvent(id: 7, eventId: "e7", kind: "ticket.issued", payload: #"{"ticketId":1}"#, occurredAt: occurred, sentAt: nil),
            OutboxEvent(id: 9, eventId: "e9", kind: "ticket.called", payload: #"{"ticketId":1}"#, occurredAt: occurred, sentAt: nil),
        ]

        let batch = EventBatch(site: "hoi-an", outbox: outbox)
        let decoded = try JSONDecoder().decode(EventBatch.self, from: JSONEncoder().encode(batch))

        #expect(decoded == batch && decoded.events.map(\.seq) == [7, 9])
        #expect(decoded.events[0].occurredAt == "2027-03-01T02:00:00.123Z")
        #expect(EventBatch.date(decoded.events[0].occurredAt)!.timeIntervalSince1970 == 1_803_866_400.123)
    }

    @Test func anUnreachableCentreIsReportedAsSuch() async throws {
        let client = CentreClient(link: CentreLink(url: "http://127.0.0.1:9", siteId: "x", token: "t", timeout: .seconds(2)))

        await #expect {
            try await client.send(EventBatch(site: "x", events: []))
        } throws: { error in
            if case CentreError.unreachable = error { true } else { false }
        }
    }
}
