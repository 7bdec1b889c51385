import Dispatch
import Foundation
import MotcuaPrint

/// The real cupsd the printing tests talk to: started once per test process by
/// scripts/cups-env in .build/cups-test, with this process as its owner, so the script's
/// watcher stops it when the tests end, however they end. A cupsd already running there
/// (`scripts/cups-env start .build/cups-test`, for a look at its logs) is reused.
/// Commands run off Swift's cooperative pool, so waiting for them never delays the
/// tests that measure how the client treats that pool.
public enum PrivateCupsd {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let directory = packageRoot.appendingPathComponent(".build/cups-test")
    public static let script = packageRoot.appendingPathComponent("scripts/cups-env").path

    private static let started = Task {
        try await run(script, "start", directory.path, "--owner", String(getpid()))
        let address = try String(contentsOf: directory.appendingPathComponent("server"), encoding: .utf8)
        guard let server = PrintServer(address.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandFailure(command: "read \(directory.path)/server", output: address)
        }
        return server
    }

    public static func server() async throws -> PrintServer {
        try await started.value
    }

    /// Runs `body` with a fresh capture queue, its name unique to the test so tests can
    /// run in parallel; the queue and its folder are removed afterwards.
    public static func withCaptureQueue(
        _ prefix: String, lpadminOptions: [String] = [], _ body: (CaptureQueue) async throws -> Void
    ) async throws {
        let queue = try await captureQueue(prefix, lpadminOptions: lpadminOptions)
        do {
            try await body(queue)
        } catch {
            await queue.remove()
            throw error
        }
        await queue.remove()
    }

    private static func captureQueue(_ prefix: String, lpadminOptions: [String]) async throws -> CaptureQueue {
        let server = try await server()
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let folder = try await run(script, "queue", directory.path, name).trimmingCharacters(in: .whitespacesAndNewlines)
        if !lpadminOptions.isEmpty {
            try await run("/usr/sbin/lpadmin", ["-h", server.description, "-p", name] + lpadminOptions)
        }
        return CaptureQueue(name: name, folder: URL(fileURLWithPath: folder), server: server)
    }

    public struct CommandFailure: Error, CustomStringConvertible {
        let command: String
        let output: String
        public var description: String { "\(command) failed: \(output)" }
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: String...) async throws -> String {
        try await run(executable, arguments)
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(executable, arguments) })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(command: ([executable] + arguments).joined(separator: " "), output: text + problem)
        }
        return text
    }
}

/// A queue whose device is scripts/cups-capture-backend writing into `folder`.
public struct CaptureQueue: Sendable {
    public let name: String
    public let folder: URL
    public let server: PrintServer

    public func captured(_ job: PrintJob) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent("job-\(job.id)"))
    }

    /// Makes the fake device fail the next jobs: `reason` is reported to CUPS, `how` is
    /// stop, failed or wait (see the backend's header).
    public func fault(_ reason: String, _ how: String) throws {
        try "\(reason) \(how)\n".write(to: folder.appendingPathComponent("FAULT"), atomically: true, encoding: .utf8)
    }

    public func repair() throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent("FAULT"))
    }

    public func admin(_ tool: String, _ arguments: String...) async throws {
        try await PrivateCupsd.run("/usr/sbin/\(tool)", ["-h", server.description] + arguments + [name])
    }

    public func remove() async {
        try? await admin("lpadmin", "-x")
        try? FileManager.default.removeItem(at: folder)
    }
}
