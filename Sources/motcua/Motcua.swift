import ArgumentParser
import Foundation
import Hummingbird
import MotcuaCore
import MotcuaPrint
import MotcuaServer
import MotcuaStore

@main
struct Motcua: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua",
        abstract: "Self-service kiosk backend and appointment scheduler for one-stop public service centres.",
        subcommands: [Serve.self, TokenCommand.self, UserCommand.self, KeysCommand.self, PrintTest.self]
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server.")

    @Option(help: "Site profile (YAML). Default: devices/site.yaml when it exists.") var profile: String?
    @Option(help: "SQLite database file.") var db: String?
    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on (0 picks a free one).") var port: Int?
    @Option(help: "standalone, centre or site.") var role: String?
    @Option(help: "A site's centre, e.g. http://centre.lan:8080.") var centre: String?
    @Option(help: "This site's id (site.id).") var site: String?
    @Option(help: "The site's bearer token at the centre (role site). Prefer MOTCUA_SYNC_TOKEN: flags show in ps.") var siteToken: String?
    @Flag(help: "Load the demo centre into an empty database.") var demo = false
    @Option(help: "With --demo: run as if it were this instant, e.g. 2026-12-01T09:00:00+07:00; time moves on from there.")
    var demoTime: String?

    func validate() throws {
        if demoTime != nil, !demo { throw ValidationError("--demo-time needs --demo: a real site runs on the real time.") }
        if let demoTime, ISO8601DateFormatter().date(from: demoTime) == nil {
            throw ValidationError("--demo-time must be an ISO 8601 instant with its offset, e.g. 2026-12-01T09:00:00+07:00.")
        }
    }

    func run() async throws {
        var flags: [String: String] = [:]
        flags["database.path"] = db
        flags["server.host"] = host
        flags["server.port"] = port.map(String.init)
        flags["node.role"] = role
        flags["sync.centre"] = centre
        flags["site.id"] = site
        flags["sync.token"] = siteToken
        if demo { flags["demo"] = "true" }
        let profilePath = profile ?? (FileManager.default.fileExists(atPath: "devices/site.yaml") ? "devices/site.yaml" : nil)
        let config: MotcuaConfiguration
        do {
            let profileText = try profilePath.map { (text: try String(contentsOfFile: $0, encoding: .utf8), path: $0) }
            config = try MotcuaConfiguration.load(profile: profileText, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            throw ValidationError("configuration: \(error)")
        }
        let clock = demoTime.flatMap { ISO8601DateFormatter().date(from: $0) }.map(WallClock.starting(at:)) ?? .system
        let app = try await buildApplication(config, clock: clock)
        printWelcome(config)
        try await app.runService()
    }

    private func printWelcome(_ config: MotcuaConfiguration) {
        let base = "http://\(config.host == "0.0.0.0" ? "localhost" : config.host):\(config.port)"
        var lines = [
            "Motcua is serving \(config.siteName) from \(config.databasePath)",
            "  Kiosk        \(base)/kiosk",
            "  Display      \(base)/display",
            "  Counter      \(base)/counter",
            "  Manager      \(base)/manager",
            "  API          \(base)/api/v1/services",
            "  Contract     \(base)/openapi.yaml",
            "  Health       \(base)/healthz",
            "  Metrics      \(base)/metrics",
        ]
        if config.demo {
            lines.append("  Demo console accounts:")
            lines += DemoCentre.accounts.map { "    \($0.role.rawValue): \($0.username) / \($0.password)" }
        }
        // Written unbuffered, so it shows at once even when stdout is a pipe (make run | tee,
        // a service manager's log).
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage bearer tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bearer token and print it (shown once).")

        @Option(help: "SQLite database file.") var db: String
        @Option(help: "manager, officer, display, kiosk or site.") var role: Role
        @Option(help: "Who or what holds the token, e.g. \"Kiosk sảnh A\".") var name: String?

        func run() async throws {
            let store = try PersonalDataKey.storeForTools(databasePath: db)
            defer { try? store.close() }
            print(try await store.createToken(role: role, name: name ?? role.rawValue, at: Date()))
        }
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Manage the pass-signing key.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the pass-signing key; passes signed with the old one verify until the overlap ends. Restart the server after."
        )

        @Option(help: "The keys directory (keys.path; by default keys/ beside the database).") var keys: String
        @Option(help: "Days the old key's passes still verify; cover the booking horizon.") var overlapDays = 31

        func run() async throws {
            guard (0...366).contains(overlapDays) else { throw ValidationError("--overlap-days must be from 0 to 366") }
            let rotated = try PassKeyRotation.rotate(directory: keys, overlapDays: overlapDays, now: Date())
            print("new pass-signing key \(rotated.keyId); \(rotated.retiredKeyId) verifies until \(rotated.until) — restart motcua serve")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage console accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a console account. The password is read from standard input, never from the command line."
        )

        @Option(help: "SQLite database file.") var db: String
        @Option(help: "Login name.") var username: String
        @Option(help: "manager or officer.") var role: Role
        @Option(help: "Name shown in the console.") var name: String?

        func run() async throws {
            guard role == .manager || role == .officer else {
                throw ValidationError("console accounts are for managers and officers; devices use `motcua token create`")
            }
            guard let password = readLine(strippingNewline: true) else {
                throw ValidationError("write the password on standard input")
            }
            let store = try PersonalDataKey.storeForTools(databasePath: db)
            defer { try? store.close() }
            do {
                try await store.createUser(username: username, displayName: name ?? username, role: role, password: password, at: Date())
            } catch AuthError.passwordTooShort(let minimum) {
                throw ValidationError("the password needs at least \(minimum) characters")
            } catch AuthError.usernameTaken {
                throw ValidationError("the username \(username) is taken")
            }
            print("created \(role.rawValue) \(username)")
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Prints the sample ticket on a CUPS queue and says what the printer did: the check a
/// technician runs after setting up a kiosk.
struct PrintTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "print-test", abstract: "Print a sample ticket through CUPS.")

    @Option(help: "CUPS queue name.") var printer: String
    @Option(help: "cupsd as host:port or a socket path. Default: what libcups uses.") var server: String?
    @Option(help: "Folder of the layouts.") var layouts = "layouts"

    func run() async throws {
        guard let address = try server.map(PrintServer.init) ?? PrintServer.local else { throw ValidationError("--server: host:port or a socket path") }
        let layout = try Layout(contentsOf: URL(fileURLWithPath: layouts).appendingPathComponent("ticket.yaml"), form: .ticket)
        let client = CupsClient(server: address)
        let job = try await client.submit(try layout.pdf(PrintedForm.ticket.specimen), to: printer, title: "Motcua print test")
        let status = try await client.outcome(of: job, waitingAtMost: .seconds(30))
        let reason = status.problem.map { ": \($0.en) (\($0.vi))" } ?? ""
        print("job \(job): \(status.outcome.rawValue)\(reason)")
        if status.outcome != .printed { throw ExitCode(1) }
    }
}
