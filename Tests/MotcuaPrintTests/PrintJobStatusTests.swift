import Testing
@testable import MotcuaPrint

/// The mapping from IPP states and reasons to what a kiosk shows, for combinations the
/// cupsd tests cannot provoke on demand.
@Suite struct PrintJobStatusTests {
    static func printer(_ state: PrinterStatus.State, _ reasons: [String], accepting: Bool = true) -> PrinterStatus {
        PrinterStatus(state: state, reasons: reasons, isAcceptingJobs: accepting, message: "")
    }

    @Test(arguments: [
        (["media-empty-error", "paused"], PrinterProblem?.some(.outOfPaper)),
        (["paused", "media-needed-warning"], .outOfPaper),
        (["cover-open-error"], .doorOpen),
        (["media-jam-error"], .paperJam),
        (["offline-report"], .offline),
        (["toner-low-report"], nil),
        (["none"], nil),
        (["marker-supply-empty-error", "paused"], .other("marker-supply-empty-error")),
        (["paused"], .paused),
    ])
    func theDeviceConditionWinsOverPaused(reasons: [String], problem: PrinterProblem?) {
        #expect(Self.printer(.stopped, reasons).problem == problem)
    }

    @Test func aPrinterRejectingJobsSaysSo() {
        #expect(Self.printer(.idle, [], accepting: false).problem == .notAcceptingJobs)
    }

    @Test(arguments: [
        (PrintJobStatus.State.pending, PrinterStatus.State.idle, PrintOutcome.queued),
        (.pending, .stopped, .held),
        (.processing, .processing, .printing),
        (.held, .idle, .held),
        (.stopped, .stopped, .held),
        (.canceled, .idle, .failed),
        (.aborted, .idle, .failed),
        (.completed, .idle, .printed),
    ])
    func outcomes(job: PrintJobStatus.State, printer: PrinterStatus.State, outcome: PrintOutcome) {
        let status = PrintJobStatus(job: PrintJob(id: 1, queue: "q"), state: job, reasons: [], printer: Self.printer(printer, []))
        #expect(status.outcome == outcome)
    }

    @Test func withoutAPrinterProblemTheJobSaysWhy() {
        func status(_ state: PrintJobStatus.State, _ reasons: [String]) -> PrintJobStatus {
            PrintJobStatus(job: PrintJob(id: 1, queue: "q"), state: state, reasons: reasons, printer: Self.printer(.idle, []))
        }
        #expect(status(.canceled, ["job-canceled-by-user"]).problem == .cancelled)
        #expect(status(.aborted, ["aborted-by-system"]).problem == .other("aborted-by-system"))
        #expect(status(.held, ["job-hold-until-specified"]).problem == .heldByStaff)
        #expect(status(.held, ["resources-are-not-ready"]).problem == .notReady)
        #expect(status(.completed, ["job-completed-successfully"]).problem == nil)
        #expect(status(.processing, ["job-printing"]).problem == nil)
    }
}
