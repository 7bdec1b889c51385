import Foundation

/// Estimates how long a ticket will wait to be called, from how long the service's recent
/// tickets took at the counter and how many counters serve it now.
///
/// The formula: with `c` open counters each taking a typical `s` per ticket, the counters
/// together finish one ticket every `s / c`. The ticket at `position` p is called when p
/// counters have come free; the first frees after half a service on average (the tickets in
/// service are half done), each further one `s / c` later:
///
///     wait = (p − ½) · s / c, rounded to the nearest minute
///
/// `s` is the trimmed mean of the last `sampleSize` durations: the shortest and the longest
/// tenth are dropped (at least one of each from three durations on), so a ticket left open
/// over lunch or closed by mistake does not move the estimate, while a skewed spread of
/// durations still counts in full, as a median would not.
public struct WaitEstimator: Sendable, Equatable {
    /// How many of the most recent durations count.
    public let sampleSize: Int
    /// What a ticket takes when no duration is known yet (the morning's first tickets).
    public let defaultServiceTime: TimeInterval

    public init(sampleSize: Int = 20, defaultServiceTime: TimeInterval = 8 * 60) {
        self.sampleSize = max(1, sampleSize)
        self.defaultServiceTime = defaultServiceTime
    }

    /// Minutes until the ticket at `position` (1 = next) is called; nil when no counter
    /// serving it is open, as then no time can be promised.
    ///
    /// - Parameter recentDurations: seconds from call to done of the service's tickets,
    ///   oldest first.
    public func minutes(position: Int, openCounters: Int, recentDurations: [TimeInterval]) -> Int? {
        guard openCounters > 0 else { return nil }
        let waitSeconds = (Double(max(1, position)) - 0.5) * typicalServiceTime(recentDurations) / Double(openCounters)
        return Int((waitSeconds / 60).rounded())
    }

    /// The trimmed mean of the last `sampleSize` durations, or the default when none is known.
    func typicalServiceTime(_ recentDurations: [TimeInterval]) -> TimeInterval {
        let sample = recentDurations.suffix(sampleSize).sorted()
        guard !sample.isEmpty else { return defaultServiceTime }
        let trim = min(Int((Double(sample.count) / 10).rounded(.up)), (sample.count - 1) / 2)
        let kept = sample.dropFirst(trim).dropLast(trim)
        return kept.reduce(0, +) / Double(kept.count)
    }
}
