import MotcuaCore
import MotcuaStore
import NIOConcurrencyHelpers

/// The catalog (services, counters' services, procedures) held in memory: every kiosk screen
/// reads it and it changes a few times a year, so reads never touch the database. Whoever
/// changes the catalog in the store calls `reload` in the same request.
final class CatalogCache: Sendable {
    struct Snapshot: Sendable {
        var services: [Service]
        var procedures: ProcedureCatalog
    }

    private let snapshot: NIOLockedValueBox<Snapshot>

    private init(_ snapshot: Snapshot) {
        self.snapshot = NIOLockedValueBox(snapshot)
    }

    static func load(from store: Store) async throws -> CatalogCache {
        CatalogCache(try await read(store))
    }

    func reload(from store: Store) async throws {
        let fresh = try await Self.read(store)
        snapshot.withLockedValue { $0 = fresh }
    }

    var current: Snapshot { snapshot.withLockedValue { $0 } }

    private static func read(_ store: Store) async throws -> Snapshot {
        Snapshot(services: try await store.services(), procedures: ProcedureCatalog(try await store.procedures()))
    }
}
