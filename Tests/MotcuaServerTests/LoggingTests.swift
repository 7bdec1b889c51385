import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import MotcuaServer

/// Collects log lines in memory so tests can read what would have been written.
final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var all: [String] { lines.withLockedValue { $0 } }

    func handler(label: String) -> any LogHandler {
        JSONLinesLogHandler(label: label, level: .trace) { line in self.lines.withLockedValue { $0.append(line) } }
    }
}

@Suite struct LoggingTests {
    @Test func logLinesAreJSONAndCarryNoIdOrPhoneNumber() throws {
        let capture = LogCapture()
        var logger = Logger(label: "test") { capture.handler(label: $0) }
        logger[metadataKey: "kiosk"] = "sảnh A"

        logger.warning("booking refused for 079203001234", metadata: ["phone": "0912 345 678", "request": "r-1"])

        let line = try #require(capture.all.first)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(fields["msg"] == "booking refused for [redacted]")
        #expect(fields["phone"] == "[redacted]")
        #expect(fields["request"] == "r-1")
        #expect(fields["kiosk"] == "sảnh A")
        #expect(fields["level"] == "warning")
        #expect(!line.contains("079203001234") && !line.contains("345"))
    }

    /// Lines are written by hand (not JSONSerialization): whatever a message holds, an
    /// independent JSON reader gets it back exactly, and keys come in a stable order.
    @Test func anyTextSurvivesTheLineAndKeysAreInOrder() throws {
        let capture = LogCapture()
        var logger = Logger(label: "test") { capture.handler(label: $0) }
        let awkward = "quầy \"số 3\"\\ xong\nhàng\tkế\r\u{1}\u{1F}/ 🙂 Đ"

        logger.info("\(awkward)", metadata: ["zeta": "\(awkward)", "alpha": "1", "Ω": "x"])

        let line = try #require(capture.all.first)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(fields["msg"] == awkward && fields["zeta"] == awkward)
        #expect(!line.contains("\n") && !line.contains("\u{1}"), "one physical line, no raw control characters")
        let keys = line.split(separator: ",").compactMap { $0.split(separator: ":").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "{\"")) } }
            .filter { ["alpha", "level", "logger", "msg", "ts", "zeta", "Ω"].contains($0) }
        #expect(keys == ["alpha", "level", "logger", "msg", "ts", "zeta", "Ω"])
    }

    @Test func requestLogsCarryTheRequestIdAndNoPersonalData() async throws {
        let capture = LogCapture()
        let site = TestSite()
        let app = try await site.app { capture.handler(label: $0) }

        try await app.test(.router) { client in
            let response = try await client.json("/api/v1/session", .post, body: #"{"username":"0912345678","password":"079203001234"}"#)
            #expect(response.status == .unauthorized)
        }

        let requestLines = capture.all.filter { $0.contains(#""route":"/api/v1/session""#) }
        #expect(!requestLines.isEmpty)
        #expect(requestLines.allSatisfy { $0.contains("hb.request.id") })
        #expect(capture.all.allSatisfy { !$0.contains("0912345678") && !$0.contains("079203001234") })
    }
}
