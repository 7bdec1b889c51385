import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing

/// Runs the real `motcua` executable, as an operator would, and stops it with a signal.
@Suite(.serialized) struct ServeProcessTests {
    /// The executable sits beside the test bundle in the build directory.
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("motcua")

    struct Running {
        let process: Process
        let port: Int
        let log: Pipe
    }

    /// Starts `motcua serve --demo` on a free port and waits for its "listening" log line.
    static func start(database: String) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--demo", "--db", database, "--port", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let log = Pipe()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = log.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            buffer += String(decoding: chunk, as: UTF8.self)
            if let range = buffer.range(of: #"listening on [^:"]+:(\d+)"#, options: .regularExpression) {
                let port = Int(buffer[range].split(separator: ":").last!)!
                return Running(process: process, port: port, log: log)
            }
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "motcua did not start: \(buffer)"])
    }

    @Test func sigtermStopsCleanlyAndClosesTheDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-serve-\(UUID().uuidString)")
        let database = directory.appendingPathComponent("motcua.sqlite").path
        let server = try Self.start(database: database)

        let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/healthz")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == #"{"status":"ok"}"#)
        let walWhileServing = try FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int
        #expect((walWhileServing ?? 0) > 0, "the demo load should still be in the WAL while serving")

        server.process.terminate()  // SIGTERM
        server.process.waitUntilExit()

        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
        // A clean close checkpoints the WAL into the main file: nothing is left in it.
        let wal = (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        let queue = try DatabaseQueue(path: database)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM service") } == 5)
    }
}
