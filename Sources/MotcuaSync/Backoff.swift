/// How long a site waits before trying the centre again: exponential with full jitter
/// (a random wait between zero and the exponential bound), so sites that lost the centre
/// together do not all come back in the same instant.
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let cap: Duration
    /// Failures in a row.
    public private(set) var failures = 0

    public init(base: Duration = .milliseconds(200), cap: Duration = .seconds(30)) {
        self.base = base
        self.cap = cap
    }

    /// The upper bound of the next wait: base · 2^(failures − 1), at most `cap`.
    public var bound: Duration {
        guard failures > 0 else { return .zero }
        let doublings = min(failures - 1, 30)
        let bound = base * (1 << doublings)
        return bound < cap ? bound : cap
    }

    /// Counts a failure and draws the wait before the next attempt.
    public mutating func failed<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        failures += 1
        let bound = self.bound.components
        let nanoseconds = Double(bound.seconds) * 1e9 + Double(bound.attoseconds) / 1e9
        return .nanoseconds(Int64(Double.random(in: 0...nanoseconds, using: &generator)))
    }

    public mutating func succeeded() {
        failures = 0
    }
}
