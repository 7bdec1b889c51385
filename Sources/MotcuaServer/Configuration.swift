import Foundation
import MotcuaCore
import Yams

/// Everything `motcua serve` needs to know, read in one place: defaults, then the site
/// profile (YAML), then environment variables, then command-line flags, each overriding
/// the one before. A bad value fails start-up with an error naming the key, the value and
/// where it came from.
public struct MotcuaConfiguration: Sendable {
    public enum NodeRole: String, Sendable, CaseIterable {
        case standalone
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

    public init() {}

    /// A setting's name in each source: `server.port` in the profile,
    /// `MOTCUA_SERVER_PORT` in the environment.
    struct Key: Sendable {
        let name: String
        let expected: String
        let apply: @Sendable (inout MotcuaConfiguration, String) -> Bool

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
        Key(name: "server.port", expected: "a port number from 0 to 65535") { config, value in
            guard let port = Int(value), (0...65535).contains(port) else { return false }
            config.port = port
            return true
        },
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
        Key(name: "site.id", expected: "letters, digits, - or _") { config, value in
            guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return false }
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
        Key(name: "session.hours", expected: "a whole number of hours from 1 to 24") { config, value in
            guard let hours = Int(value), (1...24).contains(hours) else { return false }
            config.sessionHours = hours
            return true
        },
    ]
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
            document = try Yams.load(yaml: yaml)
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
