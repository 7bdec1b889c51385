import Foundation
import NIOConcurrencyHelpers

/// Knows when the hall last changed. Every queue write bumps the version; status responses
/// are tagged with it (so unchanged displays get 304 without a database read), and every
/// streaming display is woken to fetch the new state.
final class QueueBoard: Sendable {
    private struct State {
        var version = 0
        var changedAt: Date
        var listeners: [UUID: AsyncStream<Int>.Continuation] = [:]
        var bodies: [String: (version: Int, body: Data)] = [:]
        /// The latest announcement of each called ticket, for the displays to play.
        var clips: [Int64: AnnouncementClip] = [:]
    }

    /// Distinguishes this process's versions from an earlier run's, so a display holding an
    /// ETag from before a restart never gets a false 304.
    let epoch = String(UUID().uuidString.prefix(8)).lowercased()
    private let state: NIOLockedValueBox<State>

    init(now: Date) {
        state = NIOLockedValueBox(State(changedAt: now))
    }

    var version: Int { state.withLockedValue { $0.version } }
    var changedAt: Date { state.withLockedValue { $0.changedAt } }

    func changed(at now: Date) {
        let listeners = state.withLockedValue { state -> [AsyncStream<Int>.Continuation] in
            state.version += 1
            state.changedAt = now
            return Array(state.listeners.values)
        }
        let version = self.version
        for listener in listeners { listener.yield(version) }
    }

    /// A stream of versions for one display; it keeps only the newest, so a slow display
    /// skips states rather than falling behind.
    func subscribe() -> (id: UUID, versions: AsyncStream<Int>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        state.withLockedValue { $0.listeners[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        _ = state.withLockedValue { $0.listeners.removeValue(forKey: id) }
    }

    var listenerCount: Int { state.withLockedValue { $0.listeners.count } }

    func announced(_ clip: AnnouncementClip, for ticketId: Int64, at now: Date) {
        state.withLockedValue { $0.clips[ticketId] = clip }
        changed(at: now)
    }

    func clip(for ticketId: Int64) -> AnnouncementClip? {
        state.withLockedValue { $0.clips[ticketId] }
    }

    /// The rendered status for `key` (a display's filter) at the current version, rendering it
    /// once per version.
    func body(for key: String, render: () async throws -> Data) async throws -> (version: Int, body: Data) {
        let version = self.version
        if let cached = state.withLockedValue({ $0.bodies[key] }), cached.version == version { return cached }
        let body = try await render()
        state.withLockedValue { $0.bodies[key] = (version, body) }
        return (version, body)
    }
}
