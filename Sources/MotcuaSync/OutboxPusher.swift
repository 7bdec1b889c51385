import Foundation
import Logging
import Metrics
import MotcuaStore
import ServiceLifecycle
import Synchronization

/// What the manager console shows about the link to the centre.
public struct SyncState: Sendable, Equatable {
    public var backlog = OutboxBacklog(pending: 0, oldestPendingAt: nil)
    public var lastSuccessAt: Date?
    public var lastError: String?
    public var failures = 0
}

/// The site's half of sync: sends the outbox to the centre in order, batch by batch, and
/// marks a batch sent only once the centre has acknowledged it. Nothing is lost (an event
/// stays in the outbox until acknowledged, across restarts) and nothing is doubled (the
/// centre keeps each event id once, so a batch whose answer was lost is simply sent again).
/// Failures back off exponentially with jitter; success resets the backoff.
public final class OutboxPusher: Service, Sendable {
    private let store: Store
    private let client: CentreClient
    private let batchSize: Int
    /// How often an empty outbox is looked at again: bounds the lag under steady load.
    private let idlePoll: Duration
    private let backoffBase: Duration
    private let backoffCap: Duration
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(SyncState())
    private let pending: Gauge
    private let lag: Gauge
    private let batches: Counter
    private let failedBatches: Counter

    public init(
        store: Store, client: CentreClient, batchSize: Int = 500, idlePoll: Duration = .milliseconds(100),
        backoff: (base: Duration, cap: Duration) = (.milliseconds(200), .seconds(30)),
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) {
        self.store = store
        self.client = client
        self.batchSize = min(batchSize, EventBatch.maximumEvents)
        self.idlePoll = idlePoll
        backoffBase = backoff.base
        backoffCap = backoff.cap
        self.now = now
        self.logger = logger
        pending = Gauge(label: "motcua_sync_pending_events")
        lag = Gauge(label: "motcua_sync_lag_seconds")
        batches = Counter(label: "motcua_sync_batches_total", dimensions: [("outcome", "sent")])
        failedBatches = Counter(label: "motcua_sync_batches_total", dimensions: [("outcome", "failed")])
    }

    /// The centre's URL, for the console.
    public var centre: String { client.link.url }

    public var current: SyncState {
        state.withLock { $0 }
    }

    public func run() async throws {
        logger.info("pushing events to the centre", metadata: ["centre": "\(client.link.url)", "site": "\(client.link.siteId)"])
        await cancelWhenGracefulShutdown {
            var backoff = Backoff(base: self.backoffBase, cap: self.backoffCap)
            var generator = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                let wait: Duration
                do {
                    wait = try await self.pushOnce() ? .zero : self.idlePoll
                    backoff.succeeded()
                } catch {
                    wait = backoff.failed(using: &generator)
                    self.record(failure: error, failures: backoff.failures, retryIn: wait)
                }
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
        }
    }

    /// Sends the oldest batch of pending events, if any. Returns whether it sent one (there
    /// may be more waiting right behind it).
    @discardableResult
    public func pushOnce() async throws -> Bool {
        let events = try await store.pendingEvents(limit: batchSize)
        guard let last = events.last?.id else {
            try await refreshBacklog()
            return false
        }
        let receipt = try await client.send(EventBatch(site: client.link.siteId, outbox: events))
        try await store.markSent(through: last, at: now())
        batches.increment()
        let at = now()
        state.withLock {
            $0.lastSuccessAt = at
            $0.lastError = nil
            $0.failures = 0
        }
        if receipt.duplicates > 0 {
            logger.debug("centre had some events already", metadata: ["duplicates": "\(receipt.duplicates)"])
        }
        try await refreshBacklog()
        return true
    }

    private func refreshBacklog() async throws {
        let backlog = try await store.outboxBacklog()
        let at = now()
        state.withLock { $0.backlog = backlog }
        pending.record(backlog.pending)
        lag.record(backlog.lag(now: at))
    }

    private func record(failure error: any Error, failures: Int, retryIn wait: Duration) {
        failedBatches.increment()
        state.withLock {
            $0.lastError = String(describing: error)
            $0.failures = failures
        }
        // Every failure is worth a line at first; after that, one in ten keeps the log readable
        // through a long outage.
        if failures <= 3 || failures % 10 == 0 {
            logger.warning("could not push events to the centre", metadata: [
                "error": "\(error)", "failures": "\(failures)", "retryInMs": "\(Int(wait / .milliseconds(1)))",
            ])
        }
        Task { try? await self.refreshBacklog() }
    }
}
