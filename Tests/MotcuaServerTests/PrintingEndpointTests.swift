import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import MotcuaStore
import PrintTestSupport
import Testing
@testable import MotcuaServer

/// Tickets and bookings on paper: what the kiosk would print, read back by poppler and zbar,
/// and real jobs through a private cupsd whose capture backend keeps what it was sent.
@Suite struct PrintingEndpointTests {
    struct Printed: Decodable {
        let printJobId: Int64
        let printer: String
        let state: String
        let reason: String?
        let showOnScreen: Bool
    }

    /// A site whose kiosk prints to `queue` on `server`: its devices/ are written for the
    /// test, the rest of the resources are the repository's.
    static func site(printingTo queue: String, on server: String, clock: WallClock = .fixed(TestSite.mondayMorning)) throws -> TestSite {
        let resources = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-resources-\(UUID().uuidString)")
        let devices = resources.appendingPathComponent("devices")
        try FileManager.default.createDirectory(at: devices, withIntermediateDirectories: true)
        for shared in ["openapi.yaml", "layouts"] {
            try FileManager.default.createSymbolicLink(
                at: resources.appendingPathComponent(shared), withDestinationURL: TestSite.repositoryRoot.appendingPathComponent(shared)
            )
        }
        try """
            printers:
              - {id: kiosk-printer, queue: \(queue), paperWidthMm: 80, dpi: 203, marginsMm: {top: 2, right: 4, bottom: 6, left: 4}, format: pdf, cut: true}
            """.write(to: devices.appendingPathComponent("printers.yaml"), atomically: true, encoding: .utf8)
        try """
            kiosks:
              - {id: kiosk-1, site: demo, printer: kiosk-printer, idleTimeoutSeconds: 90, languages: [vi, en]}
            """.write(to: devices.appendingPathComponent("kiosks.yaml"), atomically: true, encoding: .utf8)
        var site = TestSite(clock: clock)
        site.configure {
            $0.resourcesPath = resources.path
            $0.printServer = server
        }
        return site
    }

    @Test func theTicketPDFSaysWhatTheScreenSaysAndCarriesItsQR() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            _ = try await QueueEndpointTests.take(client, "A")
            let ticket = try await QueueEndpointTests.take(client, "A")
            let response = try await client.json("/api/v1/tickets/\(ticket.id)/receipt.pdf?pass=\(ticket.qr)")

            #expect(response.status == .ok && response.headers[.contentType] == "application/pdf")
            let pdf = Data(buffer: response.body)
            let text = try await Poppler.text(of: pdf)
            #expect(text.contains("A002"))
            #expect(text.contains("Hộ tịch – Chứng thực"))
            #expect(text.contains("09:00, 01/03/2027"))
            #expect(text.contains("Số người chờ trước: 1"))
            #expect(text == VietnameseText.nfc(text))
            #expect(try await Zbar.decode(png: try await Poppler.png(of: pdf, dpi: 300)) == ticket.qr)
        }
    }

    @Test func aBookingConfirmationNamesTheCitizenAndTheTime() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let slots = try await client.json("/api/v1/slots?service=A&from=2027-03-02&to=2027-03-02").decoded([SlotItem].self)
            let slot = try #require(slots.first)
            let made = try await client.json("/api/v1/bookings", .post, body: """
                {"slotId": \(slot.id), "citizen": {"fullName": "Nguyễn Thị Hồng Nhung", "idNumber": "001190012345", "phone": "0912345678"}}
                """)
            let code = try made.decoded(BookingItem.self).code
            let pdf = Data(buffer: try await client.json("/api/v1/bookings/\(code)/receipt.pdf").body)

            let text = try await Poppler.text(of: pdf)
            #expect(text.contains("Nguyễn Thị Hồng Nhung"))
            #expect(text.contains("Thứ Ba, 02/03/2027"))
            #expect(text.contains("07:30 – 08:00"))
            #expect(try await Zbar.decode(png: try await Poppler.png(of: pdf, dpi: 300)) == (try made.decoded(BookingItem.self).qr))
        }
    }

    @Test func aTicketPrintsThroughCUPSAndTheJobIsRecorded() async throws {
        try await PrivateCupsd.withCaptureQueue("ticket") { queue in
            let site = try Self.site(printingTo: queue.name, on: queue.server.description)
            let app = try await site.app()

            try await app.test(.router) { client in
                let ticket = try await QueueEndpointTests.take(client, "B")
                let printed = try await client.json("/api/v1/tickets/\(ticket.id)/print?kiosk=kiosk-1&pass=\(ticket.qr)", .post).decoded(Printed.self)

                #expect(printed.state == "printed" && !printed.showOnScreen && printed.reason == nil)
                let captured = try #require(try FileManager.default.contentsOfDirectory(atPath: queue.folder.path).first { $0.hasPrefix("job-") })
                let paper = try Data(contentsOf: queue.folder.appendingPathComponent(captured))
                #expect(try await Poppler.text(of: paper).contains("B001"))
                #expect(try await Zbar.decode(png: try await Poppler.png(of: paper, dpi: 300)) == ticket.qr)
                let records = try await site.store().prints(of: "ticket:\(ticket.id)")
                #expect(records.map(\.state) == ["printed"] && records.first?.cupsJobId != nil)
            }
        }
    }

    @Test func aStoppedPrinterLeavesTheTicketOnScreenAndPrintsAgainLater() async throws {
        try await PrivateCupsd.withCaptureQueue("paused") { queue in
            let site = try Self.site(printingTo: queue.name, on: queue.server.description)
            let app = try await site.app()
            try await queue.admin("cupsdisable")

            try await app.test(.router) { client in
                let ticket = try await QueueEndpointTests.take(client, "A")
                let held = try await client.json("/api/v1/tickets/\(ticket.id)/print?pass=\(ticket.qr)", .post).decoded(Printed.self)
                #expect(held.state == "held" && held.showOnScreen)
                #expect(held.reason != nil)
                // The ticket is as valid as before.
                #expect(try await client.json("/api/v1/tickets/\(ticket.id)?pass=\(ticket.qr)").decoded(QueueEndpointTests.TicketItem.self).status == "waiting")

                try await queue.admin("cupsenable")
                let again = try await client.json("/api/v1/tickets/\(ticket.id)/print?pass=\(ticket.qr)", .post).decoded(Printed.self)
                #expect(again.state == "printed" && !again.showOnScreen)
                #expect(try await site.store().prints(of: "ticket:\(ticket.id)").map(\.state) == ["held", "printed"])
            }
        }
    }

    @Test func anUnreachablePrintServerFailsPlainlyInTheCallersLanguage() async throws {
        let site = try Self.site(printingTo: "nowhere", on: "127.0.0.1:\(try SilentServer.closedPort())")
        let app = try await site.app()

        try await app.test(.router) { client in
            let ticket = try await QueueEndpointTests.take(client, "A")
            let failed = try await client.json("/api/v1/tickets/\(ticket.id)/print?pass=\(ticket.qr)", .post, headers: [.acceptLanguage: "en"])

            #expect(failed.status == .ok)
            let outcome = try failed.decoded(Printed.self)
            #expect(outcome.state == "failed" && outcome.showOnScreen && outcome.reason == "The printer does not answer")
            let unknownKiosk = try await client.json("/api/v1/tickets/\(ticket.id)/print?kiosk=kiosk-9&pass=\(ticket.qr)", .post)
            #expect(try unknownKiosk.decoded(ErrorBody.self).error.field == "kiosk")
        }
    }

    @Test func printTestPrintsTheSampleTicketFromTheCommandLine() async throws {
        try await PrivateCupsd.withCaptureQueue("print-test") { queue in
            let output = try await PrivateCupsd.run(
                ServeProcessTests.executable.path, "print-test", "--printer", queue.name, "--server", queue.server.description,
                "--layouts", TestSite.repositoryRoot.appendingPathComponent("layouts").path
            )

            #expect(output.contains(": printed"))
            let captured = try #require(try FileManager.default.contentsOfDirectory(atPath: queue.folder.path).first { $0.hasPrefix("job-") })
            #expect(try await Poppler.text(of: try Data(contentsOf: queue.folder.appendingPathComponent(captured))).contains("Tư pháp – Hộ tịch"))
        }
    }

    struct SlotItem: Decodable { let id: Int64 }
    struct BookingItem: Decodable { let code: String; let qr: String }
}
