import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The site's other half of sync: asks the centre for its configuration every `interval`
/// (an empty 304 when nothing changed), applies a new one through `apply`, then tells the
/// centre which version it runs. A failure backs off like the outbox push and is tried
/// again; the site keeps the last configuration it applied meanwhile.
public final class ConfigPuller: Service, Sendable {
    private let client: CentreClient
    private let interval: Duration
    private let apply: @Sendable (CentreConfig) async throws -> Void
    private let logger: Logger
    private let applied = Mutex<String?>(nil)

    public init(
        client: CentreClient, interval: Duration = .seconds(30), logger: Logger,
        apply: @escaping @Sendable (CentreConfig) async throws -> Void
    ) {
        self.client = client
        self.interval = interval
        self.logger = logger
        self.apply = apply
    }

    /// The version last applied, nil before the first.
    public var version: String? {
        applied.withLock { $0 }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Backoff(base: .milliseconds(500), cap: self.interval)
            var generator = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                let wait: Duration
                do {
                    try await self.pullOnce()
                    backoff.succeeded()
                    wait = self.interval
                } catch {
                    wait = backoff.failed(using: &generator)
                    if backoff.failures <= 3 || backoff.failures % 10 == 0 {
                        self.logger.warning("could not pull the centre's configuration", metadata: [
                            "error": "\(error)", "failures": "\(backoff.failures)",
                        ])
                    }
                }
                try? await Task.sleep(for: wait)
            }
        }
    }

    /// Fetches, applies and acknowledges a newer configuration. Returns whether there was one.
    @discardableResult
    public func pullOnce() async throws -> Bool {
        guard let config = try await client.config(ifNewerThan: version) else { return false }
        try await apply(config)
        try await client.acknowledge(config.version)
        applied.withLock { $0 = config.version }
        logger.info("applied the centre's configuration", metadata: ["version": "\(config.version)"])
        return true
    }
}
