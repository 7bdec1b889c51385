import Foundation

/// The source of "now" for the domain. Production reads the system clock; tests pin it,
/// so calendar and queue behaviour is exact and repeatable.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    public var now: Date { read() }

    public static let system = WallClock { Date() }

    public static func fixed(_ date: Date) -> WallClock {
        WallClock { date }
    }

    /// Reads `start` now and runs on from there: a demo (or a browser test) at a chosen hour.
    public static func starting(at start: Date) -> WallClock {
        let offset = start.timeIntervalSinceNow
        return WallClock { Date().addingTimeInterval(offset) }
    }
}
