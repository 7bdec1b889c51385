import Foundation
import Hummingbird
import MotcuaPrint
import MotcuaStore

/// Puts what a kiosk or counter prints on paper: renders the form's layout, hands it to the
/// printer's CUPS queue and records the job, whatever the printer does. A failed print
/// takes nothing away: the ticket or booking stays valid, the kiosk is told to show the
/// number and QR on screen, and the citizen may print again.
struct ReceiptPrinter: Sendable {
    let layouts: [PrintedForm: Layout]
    let devices: DeviceProfilesCache
    let client: CupsClient
    let store: Store
    let clock: @Sendable () -> Date
    /// How long a kiosk waits to learn whether the paper came out before it shows the
    /// ticket on screen instead.
    let patience: Duration

    /// What the kiosk is told about one print.
    struct Outcome: Encodable, Sendable {
        let printJobId: Int64
        let printer: String
        /// printed, held, failed, or queued/printing when the printer had not finished in time.
        let state: String
        /// Why it did not print, in the caller's language.
        let reason: String?
        /// Show the ticket's number and QR on screen: the paper did not come out (yet).
        let showOnScreen: Bool
    }

    /// Reads every form's layout from `layouts/` under the resources path; a broken layout
    /// stops start-up with its file and line.
    static func load(
        resourcesPath: String, devices: DeviceProfilesCache, server: String?, store: Store, clock: @escaping @Sendable () -> Date,
        patience: Duration = .seconds(5)
    ) throws -> ReceiptPrinter {
        let folder = URL(fileURLWithPath: resourcesPath).appendingPathComponent("layouts")
        var layouts: [PrintedForm: Layout] = [:]
        for form in PrintedForm.allCases {
            layouts[form] = try Layout(contentsOf: folder.appendingPathComponent("\(form.rawValue).yaml"), form: form)
        }
        return ReceiptPrinter(
            layouts: layouts, devices: devices, client: CupsClient(server: server.flatMap(PrintServer.init)),
            store: store, clock: clock, patience: patience
        )
    }

    func pdf(_ form: PrintedForm, _ values: [String: LayoutValue]) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/pdf", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try layout(form).pdf(values)))
        )
    }

    /// Prints `form` on the printer of `kioskId` (the site's first kiosk when nil).
    func print(
        _ form: PrintedForm, _ values: [String: LayoutValue], document: String, kioskId: String?, language: Language
    ) async throws -> Outcome {
        try await print(form, values, document: document, on: try printer(for: kioskId), language: language)
    }

    /// The printer `id` of printers.yaml (a counter's sheet printer), or a 422 listing them.
    func printer(id: String) throws -> PrinterProfile {
        let devices = devices.current
        guard let printer = devices.printer(id: id) else {
            let known = devices.printers.map(\.id).joined(separator: ", ")
            throw APIError.invalid("printer", vi: "Không có máy in này; các máy in: \(known).", en: "No such printer; the printers are: \(known).")
        }
        return printer
    }

    /// Prints `form` on `printer`.
    func print(
        _ form: PrintedForm, _ values: [String: LayoutValue], document: String, on printer: PrinterProfile, language: Language
    ) async throws -> Outcome {
        var record = try await store.recordPrint(document: document, printerId: printer.id, queue: printer.queue, now: clock())
        let layout = try layout(form)
        let paper = printer.documentFormat == .pdf ? try layout.pdf(values) : try layout.png(values)
        var reason: LocalizedText?
        do {
            let job = try await client.submit(paper, format: printer.documentFormat, to: printer.queue, title: document)
            record.cupsJobId = job.id
            let status = try await client.outcome(of: job, waitingAtMost: patience)
            record.state = status.outcome.rawValue
            reason = status.problem.map { LocalizedText(vi: $0.vi, en: $0.en) }
            // A ticket that comes out minutes later, when someone fixes the printer, only
            // confuses the hall: the kiosk has shown it on screen and offers to print again.
            if status.outcome == .held { try? await client.cancel(job) }
        } catch let error as PrintError {
            record.state = PrintOutcome.failed.rawValue
            reason = Self.words(for: error)
        }
        record.reason = reason?.vi
        record.updatedAt = clock()
        try await store.updatePrint(record)
        return Outcome(
            printJobId: record.id ?? 0, printer: printer.id, state: record.state,
            reason: reason?.text(for: language), showOnScreen: record.state != PrintOutcome.printed.rawValue
        )
    }

    private func layout(_ form: PrintedForm) throws -> Layout {
        guard let layout = layouts[form] else { throw APIError.notFound(LocalizedText(vi: "mẫu in", en: "layout")) }
        return layout
    }

    private func printer(for kioskId: String?) throws -> PrinterProfile {
        let devices = devices.current
        let kiosk = kioskId.map { devices.kiosk(id: $0) } ?? devices.kiosks.first
        guard let kiosk, let printer = devices.printer(id: kiosk.printerId) else {
            let known = devices.kiosks.map(\.id).joined(separator: ", ")
            throw APIError.invalid("kiosk", vi: "Không có ki-ốt này; các ki-ốt: \(known).", en: "No such kiosk; the kiosks are: \(known).")
        }
        return printer
    }

    private static func words(for error: PrintError) -> LocalizedText {
        switch error {
        case .serverUnreachable, .timedOut:
            LocalizedText(vi: "Máy in không phản hồi", en: "The printer does not answer")
        case .queueNotFound:
            LocalizedText(vi: "Máy in chưa được cài đặt", en: "The printer is not set up")
        case .notAcceptingJobs:
            LocalizedText(vi: PrinterProblem.notAcceptingJobs.vi, en: PrinterProblem.notAcceptingJobs.en)
        case .jobNotFound, .refused:
            LocalizedText(vi: "Máy in tạm ngừng hoạt động", en: "The printer is out of service")
        }
    }
}
