import Dispatch
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

    struct Running: @unchecked Sendable {
        let process: Process
        let port: Int
        let log: Pipe

        /// Waits for the process on a dispatch thread: blocking Swift's cooperative pool
        /// here would stall every other test in the process.
        func exit() async {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
        }
    }

    /// Starts `motcua serve --demo` on a free port and waits (off the cooperative pool) for
    /// its "listening" log line.
    static func start(database: String) async throws -> Running {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try startBlocking(database: database) })
            }
        }
    }

    private static func startBlocking(database: String) throws -> Running {
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
        let server = try await Self.start(database: database)

        let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/healthz")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == #"{"status":"ok"}"#)
        let walWhileServing = try FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int
        #expect((walWhileServing ?? 0) > 0, "the demo load should still be in the WAL while serving")

        server.process.terminate()  // SIGTERM
        await server.exit()

        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
        // A clean close checkpoints the WAL into the main file: nothing is left in it.
        let wal = (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        let queue = try DatabaseQueue(path: database)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM service") } == 5)
    }

    /// A booking the server acknowledged (201) is on disk: killing the process with SIGKILL
    /// the instant after, with no chance to close anything, loses nothing.
    @Test func acknowledgedBookingSurvivesKill9() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-kill-\(UUID().uuidString)")
        let database = directory.appendingPathComponent("motcua.sqlite").path
        let first = try await Self.start(database: database)
        let base = "http://127.0.0.1:\(first.port)/api/v1"
        let today = Date().formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!).year().month().day())
        let inTwoWeeks = Date().addingTimeInterval(13 * 86_400)
            .formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!).year().month().day())
        struct SlotItem: Decodable { let id: Int64; let start: String }
        let (slotData, _) = try await URLSession.shared.data(from: URL(string: "\(base)/slots?service=C&from=\(today)&to=\(inTwoWeeks)")!)
        let slots = try JSONDecoder().decode([SlotItem].self, from: slotData)
        let later = try #require(slots.last)   // the last slot is days ahead: inside lead time and horizon

        var request = URLRequest(url: URL(string: "\(base)/bookings")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"slotId": \#(later.id), "citizen": {"fullName": "Lê Văn Cường", "idNumber": "048203001234", "phone": "0905123456"}}"#.utf8)
        let (bookingData, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        kill(first.process.processIdentifier, SIGKILL)
        await first.exit()
        #expect(first.process.terminationReason == .uncaughtSignal)

        struct BookingItem: Decodable { let code: String; let status: String; let slotId: Int64 }
        let booking = try JSONDecoder().decode(BookingItem.self, from: bookingData)
        let second = try await Self.start(database: database)
        defer { second.process.terminate() }
        let (readData, readResponse) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(second.port)/api/v1/bookings/\(booking.code)")!
        )
        #expect((readResponse as? HTTPURLResponse)?.statusCode == 200)
        let read = try JSONDecoder().decode(BookingItem.self, from: readData)
        #expect(read.status == "booked")
        #expect(read.slotId == later.id)
    }

    /// Pango, Cairo and libcups (and the sixty libraries behind them) are not loaded by a
    /// server that has printed nothing; the first receipt opens them, and it prints.
    @Test func thePrintLibrariesAreOpenedByTheFirstPrintNotAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-lazy-\(UUID().uuidString)")
        let server = try await Self.start(database: directory.appendingPathComponent("motcua.sqlite").path)
        defer { server.process.terminate() }
        let base = "http://127.0.0.1:\(server.port)/api/v1"
        // Read to the end: /proc files report a size of 0, which String(contentsOfFile:) trusts.
        func mapped() throws -> String {
            let maps = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(server.process.processIdentifier)/maps"))
            defer { try? maps.close() }
            return String(decoding: maps.readDataToEndOfFile(), as: UTF8.self)
        }

        let atStart = try mapped()
        var request = URLRequest(url: URL(string: "\(base)/tickets")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"serviceId": "A"}"#.utf8)
        struct TicketItem: Decodable { let id: Int64; let qr: String }
        let ticket = try JSONDecoder().decode(TicketItem.self, from: try await URLSession.shared.data(for: request).0)
        let afterTicket = try mapped()
        let (pdf, response) = try await URLSession.shared.data(from: URL(string: "\(base)/tickets/\(ticket.id)/receipt.pdf?pass=\(ticket.qr)")!)
        let afterPrint = try mapped()

        #expect(atStart.contains("libsqlite3.so"), "the maps were read")
        for library in ["libpangocairo-1.0.so", "libcairo.so", "libcups.so", "libglib-2.0.so"] {
            #expect(!atStart.contains(library) && !afterTicket.contains(library), "\(library) loaded before anything was printed")
        }
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(afterPrint.contains("libpangocairo-1.0.so") && afterPrint.contains("libcairo.so"))
    }

    /// A hall display streaming events must not keep the server from stopping.
    @Test func sigtermStopsTheServerWhileADisplayIsConnected() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-sse-\(UUID().uuidString)")
        let server = try await Self.start(database: directory.appendingPathComponent("motcua.sqlite").path)
        let display = Process()
        display.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        display.arguments = ["-sN", "http://127.0.0.1:\(server.port)/api/v1/queue/events"]
        let stream = Pipe()
        display.standardOutput = stream
        try display.run()
        defer { display.terminate() }
        let firstEvent = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: String(decoding: stream.fileHandleForReading.availableData, as: UTF8.self))
            }
        }
        #expect(firstEvent.contains("event: status"))

        let stopping = ContinuousClock.now
        server.process.terminate()  // SIGTERM
        await server.exit()

        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        #expect(ContinuousClock.now - stopping < .seconds(20))
    }
}
