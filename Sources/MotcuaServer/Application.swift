import Crypto
import Foundation
import Hummingbird
import Logging
import MotcuaCore
import MotcuaPrint
import MotcuaStore
import MotcuaSync
import NIOConcurrencyHelpers
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
    let sealer = try PersonalDataKey.sealer(
        configured: config.privacyKey, previous: config.privacyPreviousKeys, directory: config.resolvedKeysPath
    )
    let store = try Store(path: config.databasePath, sealer: sealer, metrics: PrometheusMetricsFactory(registry: registry))
    // Before serving: data from before sealing, or under a key rotated out, is sealed anew.
    let resealed = try await store.resealPersonalData()
    if resealed > 0 { logger.info("personal data sealed under the current key", metadata: ["rows": "\(resealed)", "key": "\(sealer.keyId)"]) }
    if config.demo, try await DemoCentre.seedIfEmpty(store, today: LocalDate(clock.now, in: config.timeZone), timeZone: config.timeZone, at: clock.now) {
        logger.info("loaded the demo centre", metadata: ["db": "\(config.databasePath)"])
    }
    let deps = try await Dependencies(config, store: store, clock: clock, logger: logger)
    let router = try await buildRouter(deps, registry: registry)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "motcua"),
        logger: logger
    )
    let rules = config.bookingRules
    app.addServices(
        StoreService(store: store, logger: logger),
        // The horizon moves on with the days; an hourly pass is plenty.
        PeriodicService(name: "slot horizon", interval: .seconds(3600), logger: logger) {
            let sync = try await deps.horizon.sync(actor: "calendar")
            guard !sync.isEmpty else { return }
            logger.info("slots kept in step", metadata: [
                "added": "\(sync.added)", "removed": "\(sync.removed)", "closed": "\(sync.closed)", "displaced": "\(sync.displaced.count)",
            ])
        },
        PeriodicService(name: "no-show marking", interval: .seconds(300), logger: logger) {
            let marked = try await store.markNoShows(graceMinutes: rules.noShowGraceMinutes, now: clock.now)
            if marked > 0 { logger.info("bookings marked no-show", metadata: ["count": "\(marked)"]) }
        },
        // A quarter of the idle limit: personal data outlives an abandoned kiosk by at most that.
        PeriodicService(name: "dossier draft sweep", interval: .seconds(max(config.dossierIdleSeconds / 4, 5)), logger: logger) {
            let now = clock.now
            let swept = try await store.sweepDrafts(idleBefore: now.addingTimeInterval(-TimeInterval(config.dossierIdleSeconds)), now: now)
            if swept != (0, 0) { logger.info("dossier drafts swept", metadata: ["purged": "\(swept.purged)", "deleted": "\(swept.deleted)"]) }
        },
        PeriodicService(name: "personal data retention", interval: .seconds(3600), logger: logger) {
            let purged = try await store.purgePersonalData(retention: config.retention, now: clock.now)
            guard !purged.isEmpty else { return }
            logger.info("personal data past its retention removed", metadata: [
                "bookings": "\(purged.bookings)", "dossiers": "\(purged.dossiers)", "accessLog": "\(purged.accessLogEntries)",
            ])
        }
    )
    if let pusher = deps.pusher { app.addServices(pusher) }
    if let puller = deps.puller { app.addServices(puller) }
    if let portal = config.portalURL {
        app.addServices(PortalExporter(store: store, endpoint: portal, token: config.portalToken, timeZone: config.timeZone, logger: logger))
    }
    return app
}

/// What the controllers share: the store, the in-memory snapshots, the site's clock and zone.
struct Dependencies: Sendable {
    let config: MotcuaConfiguration
    let store: Store
    let clock: WallClock
    let catalog: CatalogCache
    let calendar: CalendarCache
    let horizon: SlotHorizon
    let signer: PassSigner
    /// Tags the QR codes of this node's tickets.
    let ticketPasses: TicketPasses
    /// Checks passes this node signed; in a split deployment the centre's keys join it.
    let trustedKeys: TrustedKeys
    let board: QueueBoard
    let announcer: Announcer
    /// Printers, kiosks and displays of the site, from `devices/` under the resources path.
    let devices: DeviceProfilesCache
    let printer: ReceiptPrinter
    /// Where bookings are made: this node's store, or at a site the centre's calendar.
    let bookings: any BookingCalendar
    /// At a site: what sends the outbox to the centre, and what brings its configuration.
    let pusher: OutboxPusher?
    let puller: ConfigPuller?
    var siteTime: SiteTime { SiteTime(timeZone: config.timeZone) }

    init(_ config: MotcuaConfiguration, store: Store, clock: WallClock, logger: Logger) async throws {
        self.config = config
        self.store = store
        self.clock = clock
        let catalog = try await Catalog.snapshot(store)
        self.catalog = catalog
        let calendar = try await CalendarCache { WorkingCalendar(notices: try await store.holidayNotices(), site: config.siteId) }
        self.calendar = calendar
        let horizon = SlotHorizon(store: store, calendar: calendar, clock: clock, timeZone: config.timeZone, horizonDays: config.bookingRules.horizonDays)
        self.horizon = horizon
        let key = try PassSigningKey.loadOrCreate(directory: config.resolvedKeysPath)
        signer = PassSigner(key: key.key, keyId: key.keyId)
        ticketPasses = TicketPasses(key: TicketPassKey(derivedFrom: key.key), siteId: config.siteId)
        var own: [String: (key: Curve25519.Signing.PublicKey, until: Date?)] = [key.keyId: (key.key.publicKey, nil)]
        for retired in try PassSigningKey.retired(directory: config.resolvedKeysPath) where retired.keyId != key.keyId {
            own[retired.keyId] = (try PassKeys.publicKey(text: retired.publicKey), retired.trustedUntil)
        }
        let trustedKeys = TrustedKeys(own: own)
        self.trustedKeys = trustedKeys
        board = QueueBoard(now: clock.now)
        let localDevices = URL(fileURLWithPath: config.resourcesPath).appendingPathComponent("devices").path
        // A site whose devices the centre manages runs on the files it last brought.
        let managed = config.role == .site ? try await store.centreDeviceFiles() : nil
        let devices = DeviceProfilesCache(
            try managed.map { try DeviceProfilesCache.parse(.init(named: $0)) } ?? DeviceProfiles.load(directory: localDevices)
        )
        self.devices = devices
        printer = try ReceiptPrinter.load(
            resourcesPath: config.resourcesPath, devices: devices, server: config.printServer, store: store, clock: { clock.now }
        )
        if config.role == .site, let centre = config.centreURL, let token = config.syncToken {
            let link = CentreLink(url: centre, siteId: config.siteId, token: token, timeout: .seconds(config.syncTimeoutSeconds))
            // Before the first pull, and when the centre is out of reach at start, the keys
            // of the configuration applied last time.
            try trustedKeys.trustCentre(try await store.centrePassKeys())
            bookings = CentreBookingCalendar(link: link, logger: logger)
            pusher = OutboxPusher(
                store: store, client: CentreClient(link: link), batchSize: config.syncBatchSize, now: { clock.now },
                logger: logger
            )
            puller = ConfigPuller(client: CentreClient(link: link), interval: .seconds(config.syncConfigSeconds), logger: logger) { centre in
                let keys = Dictionary(centre.passKeys.map { ($0.keyId, $0.publicKey) }) { _, last in last }
                try trustedKeys.trustCentre(keys)
                // Checked before anything is kept: a bad file leaves the site as it was.
                let siteDevices = try centre.devices.map(DeviceProfilesCache.parse) ?? DeviceProfiles.load(directory: localDevices)
                let applied = try await store.applyCentreConfig(
                    passKeys: keys, holidayNotices: centre.holidayNotices, procedures: centre.procedures,
                    deviceFiles: centre.devices?.byName, at: clock.now
                )
                devices.replace(siteDevices)
                try await calendar.reload()
                try await catalog.reload()
                // New days off close their slots here too.
                _ = try await horizon.sync(actor: "centre")
                if applied.skipped > 0 {
                    logger.info("procedures of services this site lacks were left out", metadata: ["count": "\(applied.skipped)"])
                }
            }
        } else {
            bookings = StoreBookingCalendar(
                store: store, clock: clock, rules: config.bookingRules, siteTime: SiteTime(timeZone: config.timeZone),
                siteId: config.siteId, signer: signer
            )
            pusher = nil
            puller = nil
        }
        announcer = Announcer(
            directory: URL(fileURLWithPath: config.databasePath).deletingLastPathComponent().appendingPathComponent("announcements"),
            now: { clock.now }
        )
    }
}

/// Mounts every controller on a router. Separate from `buildApplication` so tests can
/// inspect the routes (the contract test compares them with openapi.yaml).
func buildRouter(_ deps: Dependencies, registry: PrometheusCollectorRegistry) async throws -> Router<AppRequestContext> {
    let config = deps.config
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
    router.add(middleware: AuthenticationMiddleware(store: deps.store, clock: deps.clock))
    router.add(middleware: RateLimitMiddleware(
        burst: config.limitBurst, perMinute: config.limitPerMinute, exempt: config.limitExempt, clock: deps.clock
    ))
    SystemController(registry: registry, openAPISpec: ByteBuffer(bytes: spec)).addRoutes(to: router)
    PageController(
        resources: try await PageResources.load(directory: URL(fileURLWithPath: config.resourcesPath).appendingPathComponent("layouts/pages").path),
        devices: deps.devices, catalog: deps.catalog, siteName: config.siteName, timeZone: config.timeZone, clock: deps.clock, priorities: config.queuePolicy.priorityCategories,
        bookingRules: config.bookingRules, nodeRole: config.role.rawValue
    ).addRoutes(to: router)

    let api = router.group("api/v1")
    let managers = api.group().add(middleware: RequireRole(.manager))
    let staff = api.group().add(middleware: RequireRole(.officer, .manager))
    let calendar = CalendarController(
        store: deps.store, clock: deps.clock, siteTime: deps.siteTime, calendar: deps.calendar, catalog: deps.catalog, horizon: deps.horizon
    )
    let queue = QueueController(
        store: deps.store, clock: deps.clock, siteTime: deps.siteTime, siteId: config.siteId, policy: config.queuePolicy,
        catalog: deps.catalog, board: deps.board, ticketPasses: deps.ticketPasses, trustedKeys: deps.trustedKeys, bookings: deps.bookings,
        announcer: deps.announcer,
        devices: deps.devices, printer: deps.printer, centreName: config.siteName
    )
    CatalogController(store: deps.store, bookings: deps.bookings, catalog: deps.catalog, siteTime: deps.siteTime).addRoutes(to: api)
    calendar.addPublicRoutes(to: api)
    queue.addPublicRoutes(to: api)
    BookingController(
        bookings: deps.bookings, clock: deps.clock, siteTime: deps.siteTime,
        site: .init(id: config.siteId, name: config.siteName, address: config.siteAddress), catalog: deps.catalog, printer: deps.printer
    ).addRoutes(to: api)
    IdentityController(clock: deps.clock, siteTime: deps.siteTime).addRoutes(to: api)
    let dossiers = DossierController(
        store: deps.store, clock: deps.clock, siteTime: deps.siteTime, catalog: deps.catalog, calendar: deps.calendar,
        rules: config.bookingRules, printer: deps.printer,
        forms: DossierForms(
            siteName: config.siteName, place: config.sitePlace, phone: config.sitePhone, statusURL: config.dossierStatusURL,
            siteTime: deps.siteTime
        ),
        ticketPasses: deps.ticketPasses,
        centreCalendar: config.role == .site ? deps.bookings : nil,
        settings: .init(
            agencyCode: config.agencyCode, codePattern: config.dossierCodePattern, idleLimit: TimeInterval(config.dossierIdleSeconds),
            resumeWindow: TimeInterval(config.dossierResumeHours * 3600)
        )
    )
    dossiers.addPublicRoutes(to: api)
    SessionController(
        store: deps.store, clock: deps.clock, lifetime: TimeInterval(config.sessionHours * 3600),
        throttle: NIOLockedValueBox(LoginThrottle(allowedFailures: config.loginFailures))
    ).addRoutes(to: api)
    TokenController(store: deps.store, clock: deps.clock).addRoutes(to: managers)
    CapacityController(store: deps.store, clock: deps.clock, siteTime: deps.siteTime, catalog: deps.catalog).addRoutes(to: managers)
    PrivacyController(store: deps.store, clock: deps.clock, siteTime: deps.siteTime).addRoutes(to: managers)
    calendar.addManagerRoutes(to: managers)
    queue.addManagerRoutes(to: managers)
    dossiers.addManagerRoutes(to: managers)
    CounterController(store: deps.store, board: deps.board, clock: deps.clock).addRoutes(to: staff)
    queue.addStaffRoutes(to: staff)
    dossiers.addStaffRoutes(to: staff)
    let sync = SyncController(
        store: deps.store, clock: deps.clock, siteTime: deps.siteTime, trustedKeys: deps.trustedKeys, siteDevicesPath: config.resolvedSiteDevicesPath
    )
    switch config.role {
    case .centre: sync.addCentreRoutes(sites: api.group().add(middleware: RequireRole(.site)), managers: managers)
    case .site:
        if let pusher = deps.pusher, let puller = deps.puller { sync.addSiteRoutes(managers: managers, pusher: pusher, puller: puller) }
    case .standalone: break
    }
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
