import PrintTestSupport
import Foundation
import Testing
@testable import MotcuaPrint

/// Against a real cupsd (scripts/cups-env) whose queues end in the capture backend, a fake
/// of the device only: what CUPS reports here is what it reports for a real printer whose
/// backend says the same.
@Suite struct CupsClientTests {
    let ticket = TicketPDF.make("Motcua A012")

    @Test func aPrintedTicketReachesTheDeviceByteForByte() async throws {
        try await PrivateCupsd.withCaptureQueue("printed") { queue in
            let client = CupsClient(server: queue.server)

            let job = try await client.submit(ticket, to: queue.name, title: "Phiếu A012")
            let status = try await client.outcome(of: job, waitingAtMost: .seconds(10))

            #expect(status.outcome == .printed)
            #expect(status.problem == nil)
            #expect(job.queue == queue.name && job.id > 0)
            let captured = try queue.captured(job)
            #expect(captured == ticket)
            #expect(try await TicketPDF.text(of: captured) == "Motcua A012")
        }
    }

    @Test func everyPrinterProfileGetsAQueueThatPrintsItsFormat() async throws {
        let devices = try DeviceProfiles.load(directory: PrivateCupsd.packageRoot.appendingPathComponent("devices").path)
        let server = try await PrivateCupsd.server()
        let client = CupsClient(server: server)
        #expect(!devices.printers.isEmpty)
        for printer in devices.printers {
            let folder = try await PrivateCupsd.run(PrivateCupsd.script, "queue", PrivateCupsd.directory.path, printer.queue)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            // The raw queue passes any format through; a real queue's driver takes this one.
            let document = printer.documentFormat == .pdf ? ticket : Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

            let job = try await client.submit(document, format: printer.documentFormat, to: printer.queue, title: printer.id)
            let status = try await client.outcome(of: job, waitingAtMost: .seconds(10))

            #expect(status.outcome == .printed, "\(printer.id)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent("job-\(job.id)")) == document)
        }
    }

    /// `cupsdisable` stops the queue: the job stays pending, which the kiosk shows as held.
    @Test func aDisabledQueueHoldsTheJobUntilEnabled() async throws {
        try await PrivateCupsd.withCaptureQueue("disabled") { queue in
            let client = CupsClient(server: queue.server)
            try await queue.admin("cupsdisable", "-r", "Thay giấy")

            let job = try await client.submit(ticket, to: queue.name, title: "A013")
            let held = try await client.outcome(of: job, waitingAtMost: .seconds(10))

            #expect(held.outcome == .held)
            #expect(held.problem == .paused)
            #expect(held.state == .pending)
            #expect(held.printer.state == .stopped)
            #expect(held.printer.reasons == ["paused"])
            #expect(held.printer.message == "Thay giấy")

            try await queue.admin("cupsenable")
            let resumed = try await client.outcome(of: job, waitingAtMost: .seconds(10))
            #expect(resumed.outcome == .printed)
            #expect(try queue.captured(job) == ticket)
        }
    }

    /// The backend exits CUPS_BACKEND_STOP: CUPS stops the queue, keeps the job pending and
    /// the device's reason next to `paused`, and the kiosk says why.
    @Test func outOfPaperStopsTheQueueAndHoldsTheJob() async throws {
        try await PrivateCupsd.withCaptureQueue("paper") { queue in
            let client = CupsClient(server: queue.server)
            try queue.fault("media-empty-error", "stop")

            let job = try await client.submit(ticket, to: queue.name, title: "A014")
            let status = try await client.outcome(of: job, waitingAtMost: .seconds(10))

            #expect(status.outcome == .held)
            #expect(status.problem == .outOfPaper)
            #expect(status.problem?.vi == "Máy in hết giấy")
            #expect(status.state == .pending)
            #expect(status.reasons == ["printer-stopped"])
            #expect(status.printer.state == .stopped)
            #expect(status.printer.reasons == ["media-empty-error", "paused"])
            #expect(!FileManager.default.fileExists(atPath: queue.folder.appendingPathComponent("job-\(job.id)").path))
        }
    }

    /// The backend exits CUPS_BACKEND_FAILED on a queue whose error policy aborts the job
    /// (right for tickets, useless when late): the job fails and the reason stays.
    @Test func outOfPaperOnAnAbortingQueueFailsTheJob() async throws {
        try await PrivateCupsd.withCaptureQueue("abort", lpadminOptions: ["-o", "printer-error-policy=abort-job"]) { queue in
            let client = CupsClient(server: queue.server)
            try queue.fault("media-empty-error", "failed")

            let job = try await client.submit(ticket, to: queue.name, title: "A015")
            let status = try await client.outcome(of: job, waitingAtMost: .seconds(10))

            #expect(status.outcome == .failed)
            #expect(status.problem == .outOfPaper)
            #expect(status.state == .aborted)
            #expect(status.printer.state == .idle)
            #expect(status.printer.reasons == ["media-empty-error"])
        }
    }

    /// CUPS_BACKEND_FAILED under Debian's default policy (retry-job): the job is held for
    /// a retry in JobRetryInterval (300 s) while the queue stays idle.
    @Test func doorOpenOnADefaultQueueHoldsTheJobForARetry() async throws {
        try await PrivateCupsd.withCaptureQueue("door") { queue in
            let client = CupsClient(server: queue.server)
            try queue.fault("door-open-error", "failed")

            let job = try await client.submit(ticket, to: queue.name, title: "A016")
            let status = try await client.outcome(of: job, waitingAtMost: .seconds(10))

            #expect(status.outcome == .held)
            #expect(status.problem == .doorOpen)
            #expect(status.state == .held)
            #expect(status.reasons == ["resources-are-not-ready"])
            #expect(status.printer.state == .idle)
            #expect(status.printer.reasons == ["door-open-error"])
        }
    }

    /// An unreachable printer keeps its backend waiting, as CUPS' socket and ipp backends
    /// do: the job is printing, the reason offline, and it prints once the printer is back.
    @Test func anOfflinePrinterIsReportedWhileTheJobWaits() async throws {
        try await PrivateCupsd.withCaptureQueue("offline") { queue in
            let client = CupsClient(server: queue.server)
            try queue.fault("offline-report", "wait")

            let job = try await client.submit(ticket, to: queue.name, title: "A017")
            var status = try await client.status(of: job)
            let deadline = ContinuousClock.now + .seconds(10)
            while status.problem == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                status = try await client.status(of: job)
            }

            #expect(status.outcome == .printing)
            #expect(status.problem == .offline)
            #expect(status.printer.reasons == ["offline-report"])

            try queue.repair()
            #expect(try await client.outcome(of: job, waitingAtMost: .seconds(10)).outcome == .printed)
        }
    }

    /// What a kiosk does with a ticket it gave up on: the printer's problem stays the reason.
    @Test func aCancelledJobFails() async throws {
        try await PrivateCupsd.withCaptureQueue("cancel") { queue in
            let client = CupsClient(server: queue.server)
            try await queue.admin("cupsdisable")
            let job = try await client.submit(ticket, to: queue.name, title: "A018")

            try await client.cancel(job)
            let status = try await client.status(of: job)

            #expect(status.outcome == .failed)
            #expect(status.state == .canceled)
            #expect(status.problem == .paused)
            try await queue.admin("cupsenable")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await client.status(of: job).state == .canceled)
            #expect(!FileManager.default.fileExists(atPath: queue.folder.appendingPathComponent("job-\(job.id)").path))
        }
    }

    @Test func anUnknownQueueIsNamedInTheError() async throws {
        let server = try await PrivateCupsd.server()
        let client = CupsClient(server: server)

        await #expect(throws: PrintError.queueNotFound("khong-co", on: server)) {
            try await client.submit(ticket, to: "khong-co", title: "A019")
        }
        await #expect(throws: PrintError.queueNotFound("khong-co", on: server)) {
            try await client.printerStatus("khong-co")
        }
    }

    @Test func aJobThatNeverExistedIsNotFound() async throws {
        try await PrivateCupsd.withCaptureQueue("nojob") { queue in
            let job = PrintJob(id: 999_999, queue: queue.name)

            await #expect(throws: PrintError.jobNotFound(job)) {
                try await CupsClient(server: queue.server).status(of: job)
            }
        }
    }

    @Test func aQueueRejectingJobsRefusesTheSubmission() async throws {
        try await PrivateCupsd.withCaptureQueue("reject") { queue in
            try await queue.admin("cupsreject")

            await #expect(throws: PrintError.notAcceptingJobs(queue.name)) {
                try await CupsClient(server: queue.server).submit(ticket, to: queue.name, title: "A020")
            }
            let printer = try await CupsClient(server: queue.server).printerStatus(queue.name)
            #expect(printer.problem == .notAcceptingJobs)
        }
    }

    @Test func aServerThatIsNotThereIsUnreachable() async throws {
        let nobody = PrintServer(host: "127.0.0.1", port: try SilentServer.closedPort())

        await #expect {
            try await CupsClient(server: nobody).submit(ticket, to: "kiosk-1-thermal", title: "A021")
        } throws: { error in
            guard case let .serverUnreachable(server, _) = error as? PrintError else { return false }
            return server == nobody
        }
        let socket = PrintServer(host: "/nonexistent/cups.sock")
        await #expect {
            try await CupsClient(server: socket).printerStatus("kiosk-1-thermal")
        } throws: { error in
            guard case .serverUnreachable(socket, _) = error as? PrintError else { return false }
            return true
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let silent = try SilentServer()
        let client = CupsClient(server: silent.address, timeout: .milliseconds(500))
        let start = ContinuousClock.now

        await #expect(throws: PrintError.timedOut(silent.address, operation: "Get-Printer-Attributes")) {
            try await client.printerStatus("kiosk-1-thermal")
        }
        // libcups alone would wait over a minute; the bound is loose because the full
        // suite keeps both cores and Swift's cooperative pool busy.
        #expect(ContinuousClock.now - start < .seconds(40))
    }

    /// If libcups ran on the cooperative pool, hung calls on every thread of it would keep
    /// this test's own task from resuming until they time out (45 s); the bound leaves room
    /// for the rest of the suite, which keeps that pool busy too.
    @Test func hungCallsLeaveSwiftConcurrencyFree() async throws {
        let silent = try SilentServer()
        let client = CupsClient(server: silent.address, timeout: .seconds(45))
        let start = ContinuousClock.now
        let hung = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<(ProcessInfo.processInfo.activeProcessorCount * 2) {
                    group.addTask { _ = try? await client.printerStatus("kiosk-1-thermal") }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let answer = await Task.detached { 6 * 7 }.value

        #expect(answer == 42)
        #expect(ContinuousClock.now - start < .seconds(35))
        await hung.value
    }
}
