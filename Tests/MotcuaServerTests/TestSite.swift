import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import MotcuaCore
import MotcuaStore
import Synchronization
@testable import MotcuaServer

/// A demo site on a real SQLite file in a temporary directory, with the clock pinned to
/// Monday 2027-03-01 09:00 in Hồ Chí Minh City.
struct TestSite {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let mondayMorning = Date(timeIntervalSince1970: 1_803_866_400)  // 2027-03-01T09:00:00+07:00

    private(set) var config: MotcuaConfiguration
    let clock: WallClock

    init(clock: WallClock = .fixed(TestSite.mondayMorning)) {
        var config = MotcuaConfiguration()
        config.databasePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("motcua-server-\(UUID().uuidString)/motcua.sqlite").path
        config.demo = true
        config.port = 0
        config.resourcesPath = Self.repositoryRoot.path
        self.config = config
        self.clock = clock
    }

    mutating func configure(_ change: (inout MotcuaConfiguration) -> Void) {
        change(&config)
    }

    func app(logHandler: (@Sendable (String) -> any LogHandler)? = nil) async throws -> some ApplicationProtocol {
        try await buildApplication(config, clock: clock, logHandler: logHandler)
    }

    /// A second connection to the site's database, as `motcua token create --db` has.
    func store() throws -> Store {
        try Store(
            path: config.databasePath,
            sealer: try PersonalDataKey.sealer(configured: config.privacyKey, directory: config.resolvedKeysPath)
        )
    }

    func token(_ role: Role) async throws -> String {
        try await store().createToken(role: role, name: "test \(role.rawValue)", at: clock.now)
    }
}

/// A clock the test moves by hand, for flows that take time (waits, service durations).
final class ManualClock: Sendable {
    private let time: Mutex<Date>

    init(_ start: Date) {
        time = Mutex(start)
    }

    var now: Date { time.withLock { $0 } }
    var clock: WallClock { WallClock { self.now } }

    func set(_ date: Date) {
        time.withLock { $0 = date }
    }

    func advance(by seconds: TimeInterval) {
        time.withLock { $0 += seconds }
    }
}

extension TestClientProtocol {
    func json(
        _ uri: String, _ method: HTTPRequest.Method = .get, token: String? = nil, cookie: String? = nil,
        body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let cookie { fields[.cookie] = cookie }
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }
}

struct ErrorBody: Decodable {
    struct Detail: Decodable {
        let code: String
        let message: String
        let field: String?
    }
    let error: Detail
}

extension TestResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(buffer: body))
    }

    var text: String { String(buffer: body) }
}

extension TestSite {
    /// A demo site run as `node` (a site's centre is not there: nothing is pushed in a test
    /// that only routes) and what its router serves, as "METHOD /path/{param}" keys and the
    /// paths as registered (`:param`).
    static func served(as node: MotcuaConfiguration.NodeRole) async throws -> (site: TestSite, routes: [(key: String, path: String, method: HTTPRequest.Method)]) {
        var site = TestSite()
        site.configure {
            $0.role = node
            $0.centreURL = "http://127.0.0.1:9"
            $0.syncToken = "unused"
        }
        _ = try await site.app()
        let deps = try await Dependencies(site.config, store: site.store(), clock: site.clock, logger: Logger(label: "test"))
        let routes = try await buildRouter(deps, registry: PrometheusCollectorRegistry()).routes.map { route in
            let path = "/" + route.path.components.map { "\($0)" }.joined(separator: "/")
            return (key: "\(route.method.rawValue) \(RouteAccess.template(path))", path: path, method: route.method)
        }
        return (site, routes)
    }
}
