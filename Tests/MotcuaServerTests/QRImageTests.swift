import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

/// The QR images the API serves, rasterised here from the SVG's squares and read by zbarimg,
/// must give back exactly the signed pass the JSON carries.
@Suite struct QRImageTests {
    static func decodeSVG(_ svg: String) throws -> String {
        let side = try #require(svg.firstMatch(of: /viewBox="0 0 (\d+) \d+"/).flatMap { Int($0.1) })
        let scale = 4
        var pixels = [UInt8](repeating: 255, count: side * side * scale * scale)
        for match in svg.matches(of: /M(\d+) (\d+)h1v1h-1z/) {
            let (x, y) = (Int(match.1)!, Int(match.2)!)
            for dy in 0..<scale {
                for dx in 0..<scale { pixels[((y * scale + dy) * side * scale) + x * scale + dx] = 0 }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("svg-\(UUID().uuidString).pgm")
        try (Data("P5\n\(side * scale) \(side * scale)\n255\n".utf8) + Data(pixels)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func bookingAndTicketQRImagesCarryTheirSignedPasses() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let slot = try #require(try await BookingEndpointTests.tuesdaySlots(client).first)
            let booking = try await client.json("/api/v1/bookings", .post, body: BookingEndpointTests.body(slot: slot.id))
                .decoded(BookingEndpointTests.BookingItem.self)
            let ticket = try await QueueEndpointTests.take(client, "A")

            let bookingImage = try await client.json("/api/v1/bookings/\(booking.code)/qr.svg")
            let ticketImage = try await client.json("/api/v1/tickets/\(ticket.id)/qr.svg?pass=\(ticket.qr)")

            #expect(bookingImage.headers[.contentType] == "image/svg+xml")
            #expect(try Self.decodeSVG(bookingImage.text) == booking.qr)
            #expect(try Self.decodeSVG(ticketImage.text) == ticket.qr)
            #expect(try await client.json("/api/v1/tickets/999999/qr.svg").status == .notFound)
        }
    }
}
