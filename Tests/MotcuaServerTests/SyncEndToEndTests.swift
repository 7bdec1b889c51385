import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing

/// A centre and its sites as real `motcua serve` processes on loopback, pushing real
/// events over HTTP, some through a proxy that loses, delays, repeats and reorders
/// requests, with processes killed and restarted on the way. Afterwards the centre must
/// hold every site event exactly once.
@Suite(.serialized) struct SyncEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One `motcua serve`, its log in a file (a chatty node must never block on a full pipe).
    final class Node: @unchecked Sendable {
        let name: String
        let database: String
        let port: Int
        let arguments: [String]
        let environment: [String: String]
        private var process: Process?

        init(name: String, directory: URL, port: Int, arguments: [String], environment: [String: String] = [:]) {
            self.name = name
            database = directory.appendingPathComponent("\(name).sqlite").path
            self.port = port
            self.arguments = arguments
            self.environment = environment
        }

        var base: String { "http://127.0.0.1:\(port)" }

        func start() async throws {
            let process = Process()
            process.executableURL = ServeProcessTests.executable
            process.arguments = ["serve", "--demo", "--db", database, "--port", String(port)] + arguments
            process.currentDirectoryURL = SyncEndToEndTests.root
            process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["MOTCUA_LOG_LEVEL": "warning"]) { $1 }) { $1 }
            let log = URL(fileURLWithPath: database + ".log")
            if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            process.standardError = handle
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            self.process = process
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if (try? await SyncEndToEndTests.get("\(base)/healthz")) != nil { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            // Not left running to load the machine for the tests after this one.
            await kill()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(name) did not start"])
        }

        /// SIGKILL: no chance to finish anything.
        func kill() async {
            guard let process else { return }
            Foundation.kill(process.processIdentifier, SIGKILL)
            await SyncEndToEndTests.waitForExit(process)
            self.process = nil
        }

        func stop() async {
            guard let process else { return }
            process.terminate()
            await SyncEndToEndTests.waitForExit(process)
            self.process = nil
        }

        /// Reads this node's database beside the running process (WAL lets it).
        func read<T>(_ body: (Database) throws -> T) throws -> T {
            var configuration = Configuration()
            configuration.readonly = true
            return try DatabaseQueue(path: database, configuration: configuration).read(body)
        }
    }

    // MARK: The tests

    @Test func twoSitesReachTheCentreExactlyOnce() async throws {
        try await World.with(sites: ["site-a", "site-b"]) { world in

            for (index, site) in world.sites.enumerated() {
                let officer = try await world.token(site, role: "officer", name: "Cán bộ \(index)")
                for _ in 0..<(10 + index * 5) { try await Self.takeTicket(site) }
                _ = try await Self.post("\(site.base)/api/v1/counters/1/open", token: officer)
                _ = try await Self.post("\(site.base)/api/v1/counters/1/call-next", token: officer)
                _ = try await Self.post("\(site.base)/api/v1/counters/1/call-next", token: officer)
                try await Self.checkInABooking(site, centre: world.centre, idNumber: ["001203012345", "001203012346"][index])
            }

            try await world.waitUntilCaughtUp(within: 20)
            try world.expectExactlyOnce()
            let checkIns = try world.centre.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM syncEvent WHERE kind = 'booking.checked_in'") }
            #expect(checkIns == 2)
            let booked = try world.centre.read {
                try Row.fetchAll($0, sql: "SELECT siteId, status FROM booking ORDER BY id").map { [$0["siteId"], $0["status"]] as [String?] }
            }
            #expect(booked == [["site-a", "checked_in"], ["site-b", "checked_in"]], "each site's booking is its own, and came")
            let manager = try await world.token(world.centre, role: "manager", name: "Quản lý tỉnh")
            let sites = try await Self.getJSON("\(world.centre.base)/api/v1/sites", token: manager) as? [[String: Any]] ?? []
            #expect(sites.map { $0["id"] as? String } == ["site-a", "site-b"])
            #expect(sites.map { $0["ticketsIssuedToday"] as? Int } == [11, 16], "the walk-ins and the checked-in booking")
            #expect(sites.map { $0["served"] as? Int } == [1, 1], "the second call finished the first ticket")
            let report = try await Self.getJSON("\(world.centre.base)/api/v1/sites/report?from=\(Self.today)&to=\(Self.today)", token: manager)
                as? [[String: Any]] ?? []
            #expect(report.map { $0["siteId"] as? String } == ["site-a", "site-b"])
            #expect(report.map { [$0["issued"], $0["served"], $0["bookingsCheckedIn"]] as? [Int] } == [[11, 1, 1], [16, 1, 1]])
            #expect(report.allSatisfy { $0["averageWaitMinutes"] is Double }, "the called tickets' waits, by the sites' clocks")

            // Downwards: a day off decided at the centre reaches both sites, which say so.
            let year = Int(Self.today.prefix(4))! + 1
            let (saved, _) = try await Self.put("\(world.centre.base)/api/v1/calendar/notices/\(year)", token: manager, body: """
                {"year": \(year), "daysOff": [{"date": "\(year)-03-03", "name": "Nghỉ bầu cử"}], "swaps": []}
                """)
            #expect(saved == 200)
            for site in world.sites {
                try await Self.eventually("\(site.name) has the centre's day off") {
                    let days = try await Self.getJSON("\(site.base)/api/v1/calendar/holidays?year=\(year)") as? [[String: Any]] ?? []
                    return days.contains { $0["date"] as? String == "\(year)-03-03" }
                }
            }
            try await Self.eventually("the centre knows both sites run its configuration") {
                let sites = try await Self.getJSON("\(world.centre.base)/api/v1/sites", token: manager) as? [[String: Any]] ?? []
                let versions = Set(sites.compactMap { $0["configVersion"] as? String })
                return versions.count == 1 && sites.allSatisfy { $0["configVersion"] != nil }
            }
        }
    }

    @Test func faultsKillsAndAnOutageLoseNothingAndDoubleNothing() async throws {
        try await World.with(sites: ["site-f"], throughProxy: true, batchSize: 10) { world in
            let site = world.sites[0]
            var acknowledged = 0

            // Through the faulty proxy while tickets keep coming.
            for _ in 0..<60 { try await Self.takeTicket(site); acknowledged += 1 }
            // The centre killed mid-sync, restarted on its database.
            #expect(try world.pending(at: site) > 0, "the centre is killed while the site still has events to send")
            await world.centre.kill()
            for _ in 0..<40 { try await Self.takeTicket(site); acknowledged += 1 }
            try await Task.sleep(for: .seconds(2))  // the site works on while the centre is away
            try await world.centre.start()
            // The site killed while it drains its backlog ten events at a time.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try world.pending(at: site) > 0, "the site is killed while it still drains")
            await site.kill()
            try await site.start()
            for _ in 0..<40 { try await Self.takeTicket(site); acknowledged += 1 }

            try await world.waitUntilCaughtUp(within: 60)
            try world.expectExactlyOnce()
            let issuedAtCentre = try world.centre.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM syncTicket") }
            #expect(issuedAtCentre == acknowledged, "every acknowledged ticket reached the centre")
            let actions = try String(contentsOfFile: world.proxyLog, encoding: .utf8).split(separator: "\n").map(String.init)
            for fault in ["drop", "cut", "duplicate", "delay", "reorder"] {
                #expect(actions.contains(fault), "the proxy never did \(fault); the test proved less than it claims")
            }
        }
    }

    @Test func aSiteBooksAtTheCentreAndChecksInFromTheQRWhileTheCentreIsDown() async throws {
        // Five minutes before the first submission slot of a Tuesday, on every node's clock.
        try await World.with(sites: ["site-q"], demoTime: "2026-12-01T07:25:00+07:00") { world in
            let site = world.sites[0]
            // The site shows the centre's slots.
            let slots = try await Self.getJSON("\(site.base)/api/v1/slots?service=B&from=2026-12-01&to=2026-12-01") as? [[String: Any]] ?? []
            let first = try #require(slots.first)
            #expect(first["start"] as? String == "2026-12-01T07:30:00+07:00")
            let slot = Int64(try #require(first["id"] as? Int))

            // Booking from the site goes to the centre's calendar, for this office.
            let booking = try await Self.book(at: site, slotId: slot, idNumber: "001203012345")
            let (twiceStatus, twice) = try await Self.bookingAttempt(at: site, slotId: slot, idNumber: "001203012345")
            let code = try #require(booking["code"] as? String)
            let qr = try #require(booking["qr"] as? String)
            #expect(booking["siteId"] as? String == "site-q")
            #expect((twiceStatus, Self.errorCode(twice)) == (409, "duplicate_booking"), "the centre's refusal reaches the kiosk as given")
            let atCentre = try world.centre.read {
                try Row.fetchOne($0, sql: "SELECT siteId, status FROM booking WHERE code = ?", arguments: [code.replacingOccurrences(of: "-", with: "")])
            }
            #expect(atCentre?["siteId"] == "site-q" && atCentre?["status"] == "booked")
            // The site has had the centre's key from its configuration by now.
            try await Self.eventually("the site runs the centre's configuration") {
                try site.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM centrePassKey") ?? 0 } > 0
            }
            // The centre's staff give the site a display in a new hall; it arrives by itself.
            let hall = "\(site.base)/api/v1/queue/status?hall=tang-3"
            #expect((try? await Self.get(hall)) == nil, "no such hall yet")
            try Self.manageDevices(of: site, in: world, extraHall: "tang-3")
            try await Self.eventually("the site runs the centre's device files") { (try? await Self.get(hall)) != nil }

            // The centre goes down; the site restarts meanwhile (a power cut at the office).
            await world.centre.kill()
            await site.stop()
            try await site.start()
            let (refused, refusal) = try await Self.bookingAttempt(at: site, slotId: slot, idNumber: "001203012346")
            let (typed, typedAnswer) = try await Self.post("\(site.base)/api/v1/checkins", body: #"{"bookingCode": "\#(code)"}"#)
            let (scanned, ticket) = try await Self.post("\(site.base)/api/v1/checkins", body: #"{"qr": "\#(qr)"}"#)
            let (again, reused) = try await Self.post("\(site.base)/api/v1/checkins", body: #"{"qr": "\#(qr)"}"#)
            try await Self.takeTicket(site)

            #expect((try? await Self.get(hall)) != nil, "the centre's device files outlast a restart without the centre")
            #expect((refused, Self.errorCode(refusal)) == (503, "calendar_unavailable"), "booking says plainly it is unavailable")
            #expect((typed, Self.errorCode(typedAnswer)) == (503, "checkin_needs_qr"), "a typed code needs the centre")
            #expect(scanned == 201, "\(String(decoding: ticket, as: UTF8.self))")
            let checkIn = (try? JSONSerialization.jsonObject(with: ticket) as? [String: Any])?["checkIn"] as? [String: Any]
            #expect(checkIn?["outcome"] as? String == "on_time", "served at its booked time, as the pass says")
            #expect(again == 409, "a booking is checked in once: \(String(decoding: reused, as: UTF8.self))")

            // The link comes back: the centre learns of the check-in without anyone acting.
            try await world.centre.start()
            try await world.waitUntilCaughtUp(within: 30)
            try world.expectExactlyOnce()
            let status = try world.centre.read { try String.fetchOne($0, sql: "SELECT status FROM booking WHERE siteId = 'site-q'") }
            #expect(status == "checked_in")
        }
    }

    @Test func aDossierPreparedAtASiteBooksItsSlotOnTheCentresCalendar() async throws {
        try await World.with(sites: ["site-d"], demoTime: "2026-12-01T07:25:00+07:00") { world in
            let site = world.sites[0]
            let slots = try await Self.getJSON("\(site.base)/api/v1/slots?service=A&from=2026-12-01&to=2026-12-01") as? [[String: Any]] ?? []
            let slot = try #require(slots.first?["id"] as? Int)

            // A certified copy (2.000815), booked for the centre's slot, twice by the same person.
            let first = try await Self.preparedDossierFinish(at: site, slotId: slot, idNumber: "001090001234")
            let second = try await Self.preparedDossierFinish(at: site, slotId: slot, idNumber: "001090001234")

            #expect(first.status == 201, "\(String(decoding: first.body, as: UTF8.self))")
            let finished = try JSONSerialization.jsonObject(with: first.body) as? [String: Any]
            let booking = try #require(finished?["booking"] as? [String: Any])
            let code = try #require(booking["code"] as? String)
            let compact = code.replacingOccurrences(of: "-", with: "")
            #expect(booking["slotId"] as? Int == slot)
            let atCentre = try world.centre.read {
                try Row.fetchOne($0, sql: "SELECT siteId, status FROM booking WHERE code = ?", arguments: [compact])
            }
            #expect(atCentre?["siteId"] == "site-d" && atCentre?["status"] == "booked", "the place is the centre's, for this office")
            #expect(try site.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking") } == 0, "no place taken on the site's own calendar")
            #expect(try site.read { try String.fetchOne($0, sql: "SELECT bookingCode FROM dossier") } == compact)
            #expect((second.status, Self.errorCode(second.body)) == (409, "duplicate_booking"), "the centre's refusal, as given")
            #expect(try site.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM dossier") } == 1, "no dossier without its place")

            // The citizen arrives with the booking's QR; the counter opens the dossier from the ticket.
            let held = try await Self.getJSON("\(site.base)/api/v1/bookings/\(code)") as? [String: Any]
            let qr = try #require(held?["qr"] as? String)
            let (checkedIn, answer) = try await Self.post("\(site.base)/api/v1/checkins", body: #"{"qr": "\#(qr)"}"#)
            #expect(checkedIn == 201, "\(String(decoding: answer, as: UTF8.self))")
            let ticket = try #require((try JSONSerialization.jsonObject(with: answer) as? [String: Any])?["ticket"] as? [String: Any])
            let officer = try await world.token(site, role: "officer", name: "can-bo")
            let ticketId = try #require(ticket["id"] as? Int)
            let dossier = try await Self.getJSON("\(site.base)/api/v1/tickets/\(ticketId)/dossier", token: officer) as? [String: Any]
            let dossierCode = try #require((finished?["dossier"] as? [String: Any])?["code"] as? String)
            #expect((dossier?["status"] as? [String: Any])?["code"] as? String == dossierCode)
            #expect(dossier?["ticketId"] as? Int == ticketId && dossier?["bookingCode"] as? String == code)
        }
    }

    /// Walks a certified-copy dossier (2.000815) at the site's kiosk to its last step and
    /// finishes it by booking `slotId`; the finish's answer.
    static func preparedDossierFinish(at site: Node, slotId: Int, idNumber: String) async throws -> (status: Int, body: Data) {
        let (_, started) = try await post("\(site.base)/api/v1/dossiers/drafts")
        let draft = try #require((try JSONSerialization.jsonObject(with: started) as? [String: Any])?["code"] as? String)
        let steps = [
            ("procedure", #"{"procedureCode": "2.000815"}"#), ("forward", "{}"),
            ("applicant", #"{"fullName": "Lê Văn Tám", "idNumber": "\#(idNumber)", "phone": "0987654321"}"#),
            ("forward", "{}"), ("forward", "{}"), ("forward", "{}"),
        ]
        for (step, body) in steps {
            let (status, answer) = try await post("\(site.base)/api/v1/dossiers/drafts/\(draft)/\(step)", body: body)
            #expect(status == 200, "\(step): \(String(decoding: answer, as: UTF8.self))")
        }
        let (status, body) = try await post(
            "\(site.base)/api/v1/dossiers/drafts/\(draft)/finish", body: #"{"submission": "book_slot", "slotId": \#(slotId)}"#
        )
        return (status, body)
    }

    // MARK: A centre, its sites, maybe a proxy

    struct World: Sendable {
        let centre: Node
        let sites: [Node]
        let proxy: Process?
        let proxyLog: String

        /// Where the centre keeps a site's device files (none at first: sites run their own).
        func deviceFolder(of site: Node) -> URL {
            URL(fileURLWithPath: centre.database).deletingLastPathComponent().appendingPathComponent("site-devices/\(site.name)")
        }

        /// Runs `body` on a new centre and its sites, and stops every process after it,
        /// whether it passed or not.
        static func with(
            sites names: [String], throughProxy: Bool = false, batchSize: Int = 500, demoTime: String? = nil,
            _ body: (World) async throws -> Void
        ) async throws {
            let world = try await make(sites: names, throughProxy: throughProxy, batchSize: batchSize, demoTime: demoTime)
            do {
                try await body(world)
            } catch {
                await world.stopAll()
                throw error
            }
            await world.stopAll()
        }

        /// `demoTime`: every node's clock starts there (and again there when restarted).
        static func make(sites names: [String], throughProxy: Bool, batchSize: Int, demoTime: String?) async throws -> World {
            let clock = demoTime.map { ["--demo-time", $0] } ?? []
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-sync-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // No lead time, so a booking can be made minutes ahead and checked in at once.
            let centre = Node(
                name: "centre", directory: directory, port: try freePort(), arguments: ["--role", "centre", "--site", "centre"] + clock,
                environment: [
                    "MOTCUA_BOOKING_LEADTIMEMINUTES": "0",
                    "MOTCUA_SYNC_SITEDEVICESPATH": directory.appendingPathComponent("site-devices").path,
                ]
            )
            try await centre.start()
            let proxyLog = directory.appendingPathComponent("proxy.log").path
            var proxy: Process?
            var centreURL = centre.base
            if throughProxy {
                let port = try freePort()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [
                    "python3", root.appendingPathComponent("scripts/fault-proxy").path, "--listen", String(port),
                    "--target", String(centre.port), "--seed", "7", "--fault-rate", "0.5", "--log", proxyLog,
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                proxy = process
                centreURL = "http://127.0.0.1:\(port)"
            }
            var nodes: [Node] = []
            do {
                try await startSites(names, into: &nodes, centre: centre, centreURL: centreURL, batchSize: batchSize, clock: clock, directory: directory)
            } catch {
                for node in [centre] + nodes { await node.stop() }
                proxy?.terminate()
                throw error
            }
            return World(centre: centre, sites: nodes, proxy: proxy, proxyLog: proxyLog)
        }

        private static func startSites(
            _ names: [String], into nodes: inout [Node], centre: Node, centreURL: String, batchSize: Int, clock: [String], directory: URL
        ) async throws {
            for name in names {
                let token = try await run(["token", "create", "--db", centre.database, "--role", "site", "--name", name])
                let node = Node(
                    name: name, directory: directory, port: try freePort(),
                    arguments: ["--role", "site", "--centre", centreURL, "--site", name] + clock,
                    environment: [
                        "MOTCUA_SYNC_TOKEN": token, "MOTCUA_SYNC_BATCHSIZE": String(batchSize), "MOTCUA_SYNC_TIMEOUTSECONDS": "3",
                        "MOTCUA_SYNC_CONFIGSECONDS": "1",
                    ]
                )
                try await node.start()
                nodes.append(node)
            }
        }

        func token(_ node: Node, role: String, name: String) async throws -> String {
            try await run(["token", "create", "--db", node.database, "--role", role, "--name", name])
        }

        /// Events `site` has not had acknowledged yet.
        func pending(at site: Node) throws -> Int {
            try site.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox WHERE sentAt IS NULL") ?? 0 }
        }

        /// Until every site's outbox is acknowledged.
        func waitUntilCaughtUp(within seconds: Double) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try sites.allSatisfy({ try pending(at: $0) == 0 }) { return }
                try await Task.sleep(for: .milliseconds(200))
            }
            Issue.record("the sites did not catch up within \(seconds) s")
        }

        /// The centre holds each site's events, all of them, once each, in the site's order.
        func expectExactlyOnce() throws {
            for site in sites {
                let sent = try site.read { try String.fetchAll($0, sql: "SELECT eventId FROM outbox ORDER BY id") }
                let received = try centre.read {
                    try String.fetchAll($0, sql: "SELECT eventId FROM syncEvent WHERE siteId = ? ORDER BY seq", arguments: [site.name])
                }
                #expect(!sent.isEmpty)
                #expect(received == sent, "\(site.name): \(sent.count) sent, \(received.count) at the centre")
            }
        }

        func stopAll() async {
            for site in sites { await site.stop() }
            await centre.stop()
            // SIGKILL: a child of the test runner starts with SIGTERM blocked.
            if let proxy {
                kill(proxy.processIdentifier, SIGKILL)
                await SyncEndToEndTests.waitForExit(proxy)
            }
        }
    }

    // MARK: Citizens and officers at a site

    static func takeTicket(_ site: Node) async throws {
        let (status, _) = try await post("\(site.base)/api/v1/tickets", body: #"{"serviceId": "A"}"#)
        #expect(status == 201)
    }

    /// A citizen books, at the site's kiosk, a slot of the centre's calendar that starts in
    /// five minutes, and checks in there by typing the code. The slot is written into the
    /// centre's database (any hour of the day: demo slots exist only in opening hours); the
    /// booking and the check-in go through the site's endpoints.
    static func checkInABooking(_ site: Node, centre: Node, idNumber: String) async throws {
        let booking = try await book(at: site, slotId: try await slotStartingSoon(at: centre), idNumber: idNumber)
        let code = try #require(booking["code"] as? String)
        let (status, body) = try await post("\(site.base)/api/v1/checkins", body: #"{"bookingCode": "\#(code)"}"#)
        #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")
    }

    /// A free place for service B at the centre, five minutes from now.
    static func slotStartingSoon(at centre: Node, capacity: Int = 1) async throws -> Int64 {
        let start = Date().addingTimeInterval(5 * 60 + 17)
        return try await Task.detached {
            // The running centre may be writing: wait for its lock rather than fail at once.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            return try DatabaseQueue(path: centre.database, configuration: configuration).write { db in
                try db.execute(sql: """
                    INSERT INTO slot (serviceId, start, "end", capacity, booked) VALUES ('B', ?, ?, ?, 0)
                    """, arguments: [start, start.addingTimeInterval(1800), capacity])
                return db.lastInsertedRowID
            }
        }.value
    }

    /// Books through the site's kiosk endpoint; the answer when it is a 201.
    static func book(at site: Node, slotId: Int64, idNumber: String) async throws -> [String: Any] {
        let (status, body) = try await bookingAttempt(at: site, slotId: slotId, idNumber: idNumber)
        #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }

    static func bookingAttempt(at site: Node, slotId: Int64, idNumber: String) async throws -> (Int, Data) {
        try await post("\(site.base)/api/v1/bookings", body: """
            {"slotId": \(slotId), "citizen": {"fullName": "Nguyễn Văn An", "idNumber": "\(idNumber)", "phone": "0912345678"}}
            """)
    }

    /// Puts the repository's device files in the centre's folder for `site`, with one more
    /// display hung in `extraHall`.
    static func manageDevices(of site: Node, in world: World, extraHall: String) throws {
        let folder = world.deviceFolder(of: site)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["printers.yaml", "kiosks.yaml", "displays.yaml"] {
            var text = try String(contentsOf: root.appendingPathComponent("devices/\(name)"), encoding: .utf8)
            if name == "displays.yaml" {
                text += "  - id: display-\(extraHall)\n    hall: \(extraHall)\n    services: [A]\n    audio: false\n"
            }
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    /// The error code of a JSON error answer.
    static func errorCode(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }

    static var today: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    // MARK: Plumbing

    static func get(_ url: String, token: String? = nil) async throws -> Data {
        // A request to a killed server must fail soon, not after URLSession's minute.
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
        return data
    }

    static func getJSON(_ url: String, token: String? = nil) async throws -> Any {
        try JSONSerialization.jsonObject(with: try await get(url, token: token))
    }

    /// Polls `condition` for up to ten seconds.
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("not within 10 s: \(what)")
    }

    static func put(_ url: String, token: String, body: String) async throws -> (Int, Data) {
        // A request to a killed server must fail soon, not after URLSession's minute.
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        request.httpMethod = "PUT"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @discardableResult
    static func post(_ url: String, token: String? = nil, body: String? = nil) async throws -> (Int, Data) {
        // A request to a killed server must fail soon, not after URLSession's minute.
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        request.httpMethod = "POST"
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Runs `motcua` with `arguments` off the cooperative pool; its trimmed standard output.
    static func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = ServeProcessTests.executable
                    process.arguments = arguments
                    let output = Pipe()
                    process.standardOutput = output
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                })
            }
        }
    }

    static func waitForExit(_ process: Process) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// A port nobody listens on now (the kernel's pick for a socket bound to port 0).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
