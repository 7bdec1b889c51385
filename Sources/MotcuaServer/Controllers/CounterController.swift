import Hummingbird
import MotcuaCore
import MotcuaStore

/// Officers open their counter when they sit down and close it when they leave, so the
/// queue only routes citizens to counters that are staffed.
struct CounterController {
    let store: Store
    let board: QueueBoard
    let clock: WallClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("counters/{id}/open") { _, context in
            try await setCounter(context, open: true)
        }
        group.post("counters/{id}/close") { _, context in
            try await setCounter(context, open: false)
        }
    }

    private func setCounter(_ context: AppRequestContext, open: Bool) async throws -> JSONResponse<Counter> {
        let id = try context.parameters.require("id", as: Int.self)
        guard let counter = try await store.setCounter(id, open: open) else {
            throw APIError.notFound(LocalizedText(vi: "quầy \(id)", en: "counter \(id)"))
        }
        board.changed(at: clock.now)
        return JSONResponse(counter)
    }
}
