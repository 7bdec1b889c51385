import Foundation
import Logging
import MotcuaCore
import MotcuaStore
import ServiceLifecycle

/// Keeps slots materialised for the booking horizon (30 days by default) and in step with
/// the templates and the working calendar.
struct SlotHorizon: Sendable {
    let store: Store
    let calendar: CalendarCache
    let clock: WallClock
    let timeZone: TimeZone
    let horizonDays: Int

    /// Today and the days after it, up to the horizon.
    func days(from first: LocalDate? = nil) -> [LocalDate] {
        let today = LocalDate(clock.now, in: timeZone)
        let start = max(first ?? today, today)
        let end = today.adding(days: horizonDays)
        return start <= end ? (0...start.days(to: end)).map { start.adding(days: $0) } : []
    }

    @discardableResult
    func sync(from first: LocalDate? = nil, capacity: TemplateCapacity = .keepSlotEdits, actor: String) async throws -> SlotSync {
        try await store.syncSlots(
            days: days(from: first), calendar: calendar.current, timeZone: timeZone, capacity: capacity, actor: actor, now: clock.now
        )
    }
}

/// Runs a piece of upkeep at start and then every `interval` until shutdown. A failed round
/// is logged and the next one tries again.
struct PeriodicService: ServiceLifecycle.Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch where Task.isCancelled {
                    return  // shutdown cut the round short; its transaction did not commit
                } catch {
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
