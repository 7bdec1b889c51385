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
        /// Renders under way, so that a thousand displays woken by one change share one.
        var rendering: [String: (version: Int, task: Task<Data, any Error>)] = [:]
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

    /// Ends a display's stream: its handler sees the end and closes the response.
    func unsubscribe(_ id: UUID) {
        state.withLockedValue { $0.listeners.removeValue(forKey: id) }?.finish()
    }

    var listenerCount: Int { state.withLockedValue { $0.listeners.count } }

    /// Wakes one display without a change (value -1), so its stream can send a keep-alive and
    /// find out whether the display is still there.
    func poke(_ id: UUID) {
        _ = state.withLockedValue { $0.listeners[id] }?.yield(-1)
    }

    func announced(_ clip: AnnouncementClip, for ticketId: Int64, at now: Date) {
        state.withLockedValue { $0.clips[ticketId] = clip }
        changed(at: now)
    }

    func clip(for ticketId: Int64) -> AnnouncementClip? {
        state.withLockedValue { $0.clips[ticketId] }
    }

    /// The rendered status for `key` (a display's filter) at the current version, rendered
    /// once per version however many displays ask at the same moment.
    func body(for key: String, render: @escaping @Sendable () async throws -> Data) async throws -> (version: Int, body: Data) {
        enum Source { case cached(Data), rendering(Task<Data, any Error>) }
        let (version, source) = state.withLockedValue { state -> (Int, Source) in
            let version = state.version
            if let cached = state.bodies[key], cached.version == version { return (version, .cached(cached.body)) }
            if let inFlight = state.rendering[key], inFlight.version == version { return (version, .rendering(inFlight.task)) }
            let task = Task { try await render() }
            state.rendering[key] = (version, task)
            return (version, .rendering(task))
        }
        switch source {
        case .cached(let body):
            return (version, body)
        case .rendering(let task):
            let body = try await task.value
            state.withLockedValue { state in
                if (state.bodies[key]?.version ?? -1) < version { state.bodies[key] = (version, body) }
                if state.rendering[key]?.version == version { state.rendering[key] = nil }
            }
            return (version, body)
        }
    }
}
