import Foundation
import Hummingbird
import Logging
import MotcuaCore
import MotcuaStore
import Prometheus
import ServiceLifecycle

/// Builds the Motcua application: opens the store, loads demo data when asked, mounts the
/// controllers. The executable and the tests both start here.
public func buildApplication(
    _ config: MotcuaConfiguration,
    clock: WallClock = .system,
    logHandler: (@Sendable (String) -> any LogHandler)? = nil
) async throws -> some ApplicationProtocol {
    let level = Logger.Level(rawValue: config.logLevel) ?? .info
    let makeHandler = logHandler ?? { JSONLinesLogHandler(label: $0, level: level) }
    let logger = Logger(label: "motcua", factory: makeHandler)

    let registry = PrometheusCollectorRegistry()
    let store = try Store(path: config.databasePath, metrics: PrometheusMetricsFactory(registry: registry))
    if config.demo, try await DemoCentre.seedIfEmpty(store, today: LocalDate(clock.now, in: config.timeZone), timeZone: config.timeZone, at: clock.now) {
        logger.info("loaded the demo centre", metadata: ["db": "\(config.databasePath)"])
    }
    let router = try await buildRouter(config, store: store, registry: registry, clock: clock)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "motcua"),
        logger: logger
    )
    app.addServices(StoreService(store: store, logger: logger))
    return app
}

/// Mounts every controller on a router. Separate from `buildApplication` so tests can
/// inspect the routes (the contract test compares them with openapi.yaml).
func buildRouter(
    _ config: MotcuaConfiguration, store: Store, registry: PrometheusCollectorRegistry, clock: WallClock
) async throws -> Router<AppRequestContext> {
    let catalog = try await CatalogCache.load(from: store)
    let specURL = URL(fileURLWithPath: config.resourcesPath).appendingPathComponent("openapi.yaml")
    guard let spec = FileManager.default.contents(atPath: specURL.path) else {
        throw ConfigurationError(
            key: "resources.path", value: config.resourcesPath, source: "start-up",
            expected: "a directory holding openapi.yaml (start from the repository root or set MOTCUA_RESOURCES_PATH)"
        )
    }

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(factory: PrometheusMetricsFactory(registry: registry)))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: AuthenticationMiddleware(store: store, clock: clock))
    SystemController(registry: registry, openAPISpec: ByteBuffer(bytes: spec)).addRoutes(to: router)

    let api = router.group("api/v1")
    CatalogController(store: store, catalog: catalog, siteTime: SiteTime(timeZone: config.timeZone)).addRoutes(to: api)
    SessionController(store: store, clock: clock, lifetime: TimeInterval(config.sessionHours * 3600)).addRoutes(to: api)
    TokenController(store: store, clock: clock).addRoutes(to: api.group().add(middleware: RequireRole(.manager)))
    CounterController(store: store).addRoutes(to: api.group().add(middleware: RequireRole(.officer, .manager)))
    return router
}

/// Closes the database after the server has stopped: the service group shuts services down
/// in reverse order, and this one is added before the HTTP server.
struct StoreService: ServiceLifecycle.Service {
    let store: Store
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        try store.close()
        logger.info("database closed")
    }
}
