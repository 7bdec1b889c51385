import Foundation
import MotcuaCore
import MotcuaPrint
import MotcuaStore
import MotcuaYAML
import Yams

/// Everything `motcua serve` needs to know, read in one place: defaults, then the site
/// profile (YAML), then environment variables, then command-line flags, each overriding
/// the one before. A bad value fails start-up with an error naming the key, the value and
/// where it came from.
public struct MotcuaConfiguration: Sendable {
    public enum NodeRole: String, Sendable, CaseIterable {
        /// Everything in one process; no network needed.
        case standalone
        /// The provincial centre: receives every site's events.
        case centre
        /// A one-stop office: pushes its events to `sync.centre`.
        case site
    }

    public var databasePath = ".data/motcua.sqlite"
    public var host = "127.0.0.1"
    public var port = 8080
    public var demo = false
    public var role = NodeRole.standalone
    public var siteId = "demo"
    public var siteName = "Trung tâm Phục vụ hành chính công"
    public var timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    /// Where `openapi.yaml`, `layouts/` and `devices/` are read from.
    public var resourcesPath = "."
    public var logLevel = "info"
    /// How long a console login lasts: one working day by default.
    public var sessionHours = 12
    /// Writes a kiosk device or client address may make at once on the limited routes
    /// (tickets, bookings, check-ins, ID-card parsing, new dossier drafts), then a minute.
    public var limitBurst = 30
    public var limitPerMinute = 60
    /// Addresses not limited: the machine itself (a reverse proxy, a local kiosk, tools).
    public var limitExempt: Set<String> = ["127.0.0.1", "::1"]
    /// Wrong passwords in a row before a console username is locked (30 s, doubling).
    public var loginFailures = 5
    /// Printed on booking slips and in calendar invitations.
    public var siteAddress = ""
    public var bookingRules = BookingRules()
    public var queuePolicy = QueuePolicy()
    /// Where the pass-signing key lives; next to the database unless set.
    public var keysPath: String?
    /// The cupsd that prints this site's tickets and forms: `host:port` or a socket path;
    /// unset means what libcups would use (CUPS_SERVER, client.conf, the local socket).
    public var printServer: String?
    /// The receiving agency's code (mã đơn vị), the first part of dossier codes.
    public var agencyCode = "000.00.00.H00"
    /// The place written before the date on one-stop forms ("Hà Nội, ngày …"); the site's
    /// name when unset.
    public var sitePlace = ""
    /// The one-stop office's phone, printed on supplement requests for questions.
    public var sitePhone = ""
    public var dossierCodePattern = DossierCodePattern.standard
    /// How long a kiosk draft may sit untouched before its personal data is removed.
    public var dossierIdleSeconds = 120
    /// How long a draft can be resumed by its code.
    public var dossierResumeHours = 24
    /// Where citizens look a dossier up online, `{code}` standing for its look-up code; the
    /// receipt's QR code carries it. Unset, the QR carries the look-up code alone, for the
    /// kiosk's scanner.
    public var dossierStatusURL = ""
    /// A site's centre (base URL), and the `site` token it pushes with.
    public var centreURL: String?
    public var syncToken: String?
    public var syncBatchSize = 500
    public var syncTimeoutSeconds = 10
    /// How often a site asks the centre for new configuration.
    public var syncConfigSeconds = 30
    /// The national portal's dossier-sync endpoint (received dossiers go to `…/dossiers`,
    /// decisions to `…/progress`), and its bearer token; unset, nothing is exported.
    public var portalURL: String?
    public var portalToken: String?
    /// At a centre: one folder per site (named by its id) holding the device files the
    /// site runs on; a site without a folder keeps its own. Default `devices/sites` under
    /// the resources path.
    public var siteDevicesPath: String?
    /// The key sealing ID and phone numbers at rest (base64, 32 bytes); unset, one is made
    /// on first start in the keys directory. Rotation: see README "Personal data".
    public var privacyKey: String?
    /// Keys rotated out: only read, until start-up has sealed everything anew.
    public var privacyPreviousKeys: [String] = []
    public var retention = RetentionPolicy()

    public init() {}

    /// A setting's name in each source: `server.port` in the profile,
    /// `MOTCUA_SERVER_PORT` in the environment.
    struct Key: Sendable {
        let name: String
        let expected: String
        let apply: @Sendable (inout MotcuaConfiguration, String) -> Bool

        static func integer(
            _ name: String, _ range: ClosedRange<Int>, _ field: WritableKeyPath<MotcuaConfiguration, Int> & Sendable
        ) -> Key {
            Key(name: name, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)") { config, value in
                guard let number = Int(value), range.contains(number) else { return false }
                config[keyPath: field] = number
                return true
            }
        }

        /// An http(s) URL with a host.
        static func url(_ name: String, _ expected: String, _ field: WritableKeyPath<MotcuaConfiguration, String?> & Sendable) -> Key {
            Key(name: name, expected: expected) { config, value in
                guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else { return false }
                config[keyPath: field] = value
                return true
            }
        }

        /// A bearer token: one word, not empty.
        static func token(_ name: String, _ expected: String, _ field: WritableKeyPath<MotcuaConfiguration, String?> & Sendable) -> Key {
            Key(name: name, expected: expected) { config, value in
                guard !value.isEmpty, !value.contains(where: \.isWhitespace) else { return false }
                config[keyPath: field] = value
                return true
            }
        }

        var environmentName: String {
            "MOTCUA_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
        }
    }

    static let keys: [Key] = [
        Key(name: "database.path", expected: "a file path") { config, value in
            guard !value.isEmpty else { return false }
            config.databasePath = value
            return true
        },
        Key(name: "server.host", expected: "a host name or IP address") { config, value in
            guard !value.isEmpty, !value.contains(" ") else { return false }
            config.host = value
            return true
        },
        .integer("server.port", 0...65535, \.port),
        Key(name: "demo", expected: "true or false") { config, value in
            guard let flag = Bool(value) else { return false }
            config.demo = flag
            return true
        },
        Key(name: "node.role", expected: NodeRole.allCases.map(\.rawValue).joined(separator: ", ")) { config, value in
            guard let role = NodeRole(rawValue: value) else { return false }
            config.role = role
            return true
        },
        Key(name: "site.id", expected: "1 to 64 letters, digits, - or _") { config, value in
            guard (1...64).contains(value.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return false }
            config.siteId = value
            return true
        },
        Key(name: "site.name", expected: "a name") { config, value in
            guard !value.isEmpty else { return false }
            config.siteName = VietnameseText.nfc(value)
            return true
        },
        Key(name: "site.timeZone", expected: "an IANA time zone such as Asia/Ho_Chi_Minh") { config, value in
            guard let zone = TimeZone(identifier: value) else { return false }
            config.timeZone = zone
            return true
        },
        Key(name: "resources.path", expected: "a directory") { config, value in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
            config.resourcesPath = value
            return true
        },
        Key(name: "log.level", expected: "trace, debug, info, notice, warning, error or critical") { config, value in
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(value) else { return false }
            config.logLevel = value
            return true
        },
        .integer("session.hours", 1...24, \.sessionHours),
        .integer("limits.burst", 1...10_000, \.limitBurst),
        .integer("limits.perMinute", 1...100_000, \.limitPerMinute),
        Key(name: "limits.exempt", expected: "comma-separated IP addresses, or none") { config, value in
            config.limitExempt = value == "none" ? [] : Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            return true
        },
        .integer("login.failures", 1...100, \.loginFailures),
        Key(name: "site.address", expected: "an address") { config, value in
            config.siteAddress = VietnameseText.nfc(value)
            return true
        },
        Key(name: "keys.path", expected: "a directory path") { config, value in
            guard !value.isEmpty else { return false }
            config.keysPath = value
            return true
        },
        Key(name: "printing.server", expected: "host:port or the path of a cupsd socket") { config, value in
            guard PrintServer(value) != nil else { return false }
            config.printServer = value
            return true
        },
        Key(name: "site.agencyCode", expected: "the agency code (mã đơn vị): 1 to 40 letters, digits, . or -") { config, value in
            guard (1...40).contains(value.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return false }
            config.agencyCode = value
            return true
        },
        Key(name: "site.place", expected: "a place name") { config, value in
            config.sitePlace = VietnameseText.nfc(value)
            return true
        },
        Key(name: "site.phone", expected: "a phone number") { config, value in
            config.sitePhone = value
            return true
        },
        Key(name: "dossier.codePattern", expected: "a pattern of <agency>, <yymmdd>, <yyyymmdd>, <procedure>, <sequence:N> and text, with a <sequence>") { config, value in
            guard let pattern = try? DossierCodePattern(value) else { return false }
            config.dossierCodePattern = pattern
            return true
        },
        .integer("dossier.idleSeconds", 30...3_600, \.dossierIdleSeconds),
        .integer("dossier.resumeHours", 1...720, \.dossierResumeHours),
        Key(name: "dossier.statusUrl", expected: "an http(s) URL containing {code}") { config, value in
            guard value.isEmpty || ((value.hasPrefix("https://") || value.hasPrefix("http://")) && value.contains("{code}")) else { return false }
            config.dossierStatusURL = value
            return true
        },
        .url("sync.centre", "the centre's base URL, http(s)://host:port", \.centreURL),
        .token("sync.token", "a bearer token of role site (motcua token create --role site)", \.syncToken),
        .integer("sync.batchSize", 1...1_000, \.syncBatchSize),
        .integer("sync.timeoutSeconds", 1...120, \.syncTimeoutSeconds),
        .integer("sync.configSeconds", 1...3_600, \.syncConfigSeconds),
        Key(name: "sync.siteDevicesPath", expected: "a directory path") { config, value in
            guard !value.isEmpty else { return false }
            config.siteDevicesPath = value
            return true
        },
        .url("portal.url", "the portal's dossier-sync endpoint, http(s)://…", \.portalURL),
        .token("portal.token", "a bearer token", \.portalToken),
        Key(name: "privacy.key", expected: "32 random bytes in base64 (e.g. openssl rand -base64 32)") { config, value in
            guard PersonalDataSealer.key(base64: value) != nil else { return false }
            config.privacyKey = value
            return true
        },
        Key(name: "privacy.previousKeys", expected: "comma-separated keys of 32 bytes in base64") { config, value in
            let keys = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard keys.allSatisfy({ PersonalDataSealer.key(base64: $0) != nil }) else { return false }
            config.privacyPreviousKeys = keys
            return true
        },
        .integer("retention.bookingDays", 1...3_650, \.retention.bookingDays),
        .integer("retention.dossierDays", 1...3_650, \.retention.dossierDays),
        .integer("retention.accessLogDays", 1...3_650, \.retention.accessLogDays),
        .integer("booking.leadTimeMinutes", 0...10_080, \.bookingRules.leadTimeMinutes),
        .integer("booking.horizonDays", 1...365, \.bookingRules.horizonDays),
        .integer("booking.maximumFutureBookings", 1...100, \.bookingRules.maximumFutureBookings),
        .integer("booking.cancellationCutoffMinutes", 0...10_080, \.bookingRules.cancellationCutoffMinutes),
        .integer("booking.noShowGraceMinutes", 0...1_440, \.bookingRules.noShowGraceMinutes),
        Key(name: "queue.priorityEvery", expected: "0 (priority always first) or N: one priority call per N others") { config, value in
            guard let n = Int(value), (0...50).contains(n) else { return false }
            let p = config.queuePolicy
            config.queuePolicy = QueuePolicy(
                priorityCategories: p.priorityCategories, fairness: n == 0 ? .strict : .onePriorityPer(regular: n),
                checkInMinutesBefore: p.checkInMinutesBefore, checkInMinutesAfter: p.checkInMinutesAfter,
                earlyCheckIn: p.earlyCheckIn, lateCheckIn: p.lateCheckIn, dueLeadMinutes: p.dueLeadMinutes
            )
            return true
        },
    ]

    var resolvedSiteDevicesPath: String {
        siteDevicesPath ?? URL(fileURLWithPath: resourcesPath).appendingPathComponent("devices/sites").path
    }

    public var resolvedKeysPath: String {
        keysPath ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("keys").path
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let value: String
    public let source: String
    public let expected: String

    public var description: String {
        value.isEmpty && expected.isEmpty
            ? "\(source): unknown setting '\(key)'"
            : "\(source): '\(key)' is '\(value)', expected \(expected)"
    }
}

extension MotcuaConfiguration {
    /// Builds the configuration from its sources, most specific last.
    /// - Parameters:
    ///   - profile: the site profile's YAML text and its path (for messages), if any.
    ///   - environment: the process environment; only `MOTCUA_*` names are read.
    ///   - flags: settings given on the command line, by key name (`server.port`).
    public static func load(
        profile: (text: String, path: String)?,
        environment: [String: String],
        flags: [String: String]
    ) throws -> MotcuaConfiguration {
        var config = MotcuaConfiguration()
        if let profile {
            try config.apply(try flatten(yaml: profile.text, path: profile.path), source: profile.path)
        }
        let knownEnvironment = Dictionary(uniqueKeysWithValues: keys.map { ($0.environmentName, $0.name) })
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("MOTCUA_") {
            guard let key = knownEnvironment[name] else {
                throw ConfigurationError(key: name, value: "", source: "environment", expected: "")
            }
            try config.apply([key: value], source: "environment variable \(name)")
        }
        try config.apply(flags, source: "command line")
        if config.role == .site {
            // A site that cannot reach its centre would collect events forever: say so at start.
            for (key, value) in [("sync.centre", config.centreURL), ("sync.token", config.syncToken)] where value == nil {
                throw ConfigurationError(key: key, value: "(missing)", source: "node.role site", expected: "to be set for a site")
            }
        }
        return config
    }

    private mutating func apply(_ values: [String: String], source: String) throws {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let key = Self.keys.first(where: { $0.name == name }) else {
                throw ConfigurationError(key: name, value: "", source: source, expected: "")
            }
            guard key.apply(&self, value) else {
                throw ConfigurationError(key: name, value: value, source: source, expected: key.expected)
            }
        }
    }

    /// `server: {port: 8080}` becomes `["server.port": "8080"]`.
    private static func flatten(yaml: String, path: String) throws -> [String: String] {
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml, .plain)
        } catch {
            throw ConfigurationError(key: "(file)", value: "\(error)", source: path, expected: "valid YAML")
        }
        var flat: [String: String] = [:]
        func walk(_ node: Any?, prefix: String) {
            if let mapping = node as? [String: Any] {
                for (key, value) in mapping { walk(value, prefix: prefix.isEmpty ? key : "\(prefix).\(key)") }
            } else if let node {
                flat[prefix] = "\(node)"
            }
        }
        walk(document, prefix: "")
        return flat
    }
}
