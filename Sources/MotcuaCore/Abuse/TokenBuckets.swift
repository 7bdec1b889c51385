import Foundation

/// Rate limits per caller (a kiosk device, a client address): each key may make `burst`
/// requests at once and then `perMinute` a minute. Pure: the caller passes the time and
/// keeps the value behind a lock.
public struct TokenBuckets: Sendable, Equatable {
    public let burst: Int
    public let perMinute: Int
    private var buckets: [String: Bucket] = [:]
    /// Keys kept at most; idle keys (whose bucket has filled up again) are dropped first.
    private let keysKept: Int

    private struct Bucket: Sendable, Equatable {
        var tokens: Double
        var at: Date
    }

    public init(burst: Int, perMinute: Int, keysKept: Int = 10_000) {
        self.burst = max(burst, 1)
        self.perMinute = max(perMinute, 1)
        self.keysKept = keysKept
    }

    private var perSecond: Double { Double(perMinute) / 60 }

    /// Takes one request for `key`: nil when it may go, else the seconds until it may.
    public mutating func take(_ key: String, now: Date) -> TimeInterval? {
        var bucket = buckets[key] ?? Bucket(tokens: Double(burst), at: now)
        bucket.tokens = min(Double(burst), bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * perSecond)
        bucket.at = now
        guard bucket.tokens >= 1 else {
            buckets[key] = bucket
            return (1 - bucket.tokens) / perSecond
        }
        bucket.tokens -= 1
        if buckets[key] == nil, buckets.count >= keysKept { dropIdle(now: now) }
        buckets[key] = bucket
        return nil
    }

    /// Forgets keys whose buckets are full again: they would start where they are.
    private mutating func dropIdle(now: Date) {
        let full = Double(burst) / perSecond
        buckets = buckets.filter { now.timeIntervalSince($0.value.at) + $0.value.tokens / perSecond < full }
        // Still full of busy keys: the oldest half goes, so memory stays bounded.
        if buckets.count >= keysKept {
            let kept = buckets.sorted { $0.value.at > $1.value.at }.prefix(keysKept / 2)
            buckets = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}

/// Brute force against console logins: after `allowedFailures` wrong passwords in a row for
/// one username, it is locked for 30 s, doubling with each further failure up to 15 min.
/// A right password ends it.
public struct LoginThrottle: Sendable {
    public let allowedFailures: Int
    public static let firstLock: TimeInterval = 30
    public static let longestLock: TimeInterval = 15 * 60
    private var failures: [String: (count: Int, lockedUntil: Date?)] = [:]

    public init(allowedFailures: Int = 5) {
        self.allowedFailures = max(allowedFailures, 1)
    }

    /// Seconds until `username` may try again, or nil.
    public func lockedFor(_ username: String, now: Date) -> TimeInterval? {
        guard let until = failures[Self.key(username)]?.lockedUntil, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    public mutating func failed(_ username: String, now: Date) {
        let key = Self.key(username)
        let count = (failures[key]?.count ?? 0) + 1
        var lockedUntil: Date?
        if count >= allowedFailures {
            let lock = min(Self.firstLock * pow(2, Double(count - allowedFailures)), Self.longestLock)
            lockedUntil = now.addingTimeInterval(lock)
        }
        // Made-up usernames must not grow this without end: past locks are forgotten first.
        if failures.count >= 10_000 { failures = failures.filter { ($0.value.lockedUntil ?? .distantPast) > now } }
        failures[key] = (count, lockedUntil)
    }

    public mutating func succeeded(_ username: String) {
        failures[Self.key(username)] = nil
    }

    /// Usernames are matched as typed at the console: case and surrounding spaces aside.
    private static func key(_ username: String) -> String {
        username.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
