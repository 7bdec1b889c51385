import Foundation
import MotcuaCore
import MotcuaStore
import NIOConcurrencyHelpers

/// A value read from the store once and served from memory: the catalog and the working
/// calendar are read on every kiosk screen and change a few times a year. Whoever changes
/// the underlying rows calls `reload` in the same request.
final class Snapshot<Value: Sendable>: Sendable {
    private let value: NIOLockedValueBox<Value>
    private let load: @Sendable () async throws -> Value

    init(_ load: @escaping @Sendable () async throws -> Value) async throws {
        self.load = load
        value = NIOLockedValueBox(try await load())
    }

    var current: Value { value.withLockedValue { $0 } }

    func reload() async throws {
        let fresh = try await load()
        value.withLockedValue { $0 = fresh }
    }
}

/// What a site offers, as kiosks browse it.
struct Catalog: Sendable {
    var services: [Service]
    var procedures: ProcedureCatalog
    /// `GET /api/v1/services` as sent: every kiosk screen asks for it, so it is encoded once.
    var servicesJSON: Data

    static func snapshot(_ store: Store) async throws -> Snapshot<Catalog> {
        try await Snapshot {
            let services = try await store.services()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Catalog(
                services: services, procedures: ProcedureCatalog(try await store.procedures()), servicesJSON: try encoder.encode(services)
            )
        }
    }
}

typealias CatalogCache = Snapshot<Catalog>
typealias CalendarCache = Snapshot<WorkingCalendar>
