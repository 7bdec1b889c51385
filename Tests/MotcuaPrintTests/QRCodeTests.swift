import Foundation
import Testing
@testable import MotcuaPrint

/// Every code is read back by zbarimg (Debian's zbar-tools), a decoder that shares nothing
/// with libqrencode, so a wrong module or a lost byte shows as a different payload.
@Suite struct QRCodeTests {
    static func decode(_ code: QRCode) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
        try code.pgm().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [
        ("booking pass", "MC1.B.K7MQ3XHP.demo.A.1801069200.1801155600.c1a2b3c4.gkWRGBCB0MsFAG4tmqeNqrVcIUcX3f7PzMZ8uT7BStLhNGskMqj0KBcGcNfE18h7xmu6qRrrkJc62NQForvVBg"),
        ("ticket pass", "MC1.T.42.demo.C.1801069200.1801155600.c1a2b3c4.AAAA"),
        ("Vietnamese text", "Mời số A012 đến Quầy 3 – Trung tâm Phục vụ hành chính công"),
        ("status URL", "http://192.168.1.10:8080/api/v1/bookings/K7MQ-3XHP"),
    ])
    func zbarimgReadsBackExactlyWhatWasEncoded(name: String, payload: String) throws {
        let code = try QRCode(payload, correction: .quartile)

        let decoded = try Self.decode(code)

        #expect(decoded == payload, "\(name)")
    }

    @Test func higherCorrectionNeedsALargerCode() throws {
        let payload = String(repeating: "MC1.B.K7MQ3XHP.", count: 6)

        let low = try QRCode(payload, correction: .low)
        let high = try QRCode(payload, correction: .high)

        #expect(high.version > low.version)
        #expect(high.size == 17 + 4 * high.version)
        #expect(try Self.decode(high) == payload)
    }

    @Test func emptyAndOversizedPayloadsAreRefused() {
        #expect(throws: QRCode.EncodingError.cannotEncode(bytes: 0)) { try QRCode("", correction: .medium) }
        #expect(throws: QRCode.EncodingError.cannotEncode(bytes: 4000)) {
            try QRCode(String(repeating: "x", count: 4000), correction: .high)
        }
    }

    @Test func svgHasTheQuietZoneAndOneSquarePerDarkModule() throws {
        let code = try QRCode("A012", correction: .medium)

        let svg = code.svg()

        let side = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""))
        let darkModules = (0..<code.size).flatMap { y in (0..<code.size).filter { code.isDark(x: $0, y: y) } }.count
        #expect(svg.components(separatedBy: "h1v1h-1z").count - 1 == darkModules)
        #expect(svg.contains("M4 4h1v1h-1z"), "the top-left finder pattern starts right after the quiet zone")
    }
}
