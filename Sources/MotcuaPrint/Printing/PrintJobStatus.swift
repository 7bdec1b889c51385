/// A job handed to cupsd: its id is unique per server, the queue says where to ask.
public struct PrintJob: Sendable, Hashable, CustomStringConvertible {
    public let id: Int
    public let queue: String

    public init(id: Int, queue: String) {
        self.id = id
        self.queue = queue
    }

    public var description: String { "\(queue)-\(id)" }
}

/// What a kiosk needs to know about a job.
public enum PrintOutcome: String, Sendable, Hashable {
    /// Waiting for the printer, which is working.
    case queued
    case printing
    case printed
    /// Will not print until someone acts: the printer is stopped or the job is held.
    case held
    /// Will never print: cancelled or aborted.
    case failed
}

/// Why a printer cannot print, in words a kiosk can show a citizen.
public enum PrinterProblem: Sendable, Hashable {
    case offline
    case outOfPaper
    case doorOpen
    case paperJam
    /// Disabled by staff (`cupsdisable`), or stopped by CUPS after a device error.
    case paused
    case notAcceptingJobs
    case notReady
    case heldByStaff
    case cancelled
    /// A device error CUPS reported that has no words of its own here: the IPP keyword.
    case other(String)

    public var vi: String {
        switch self {
        case .offline: "Máy in đang mất kết nối"
        case .outOfPaper: "Máy in hết giấy"
        case .doorOpen: "Nắp máy in đang mở"
        case .paperJam: "Máy in bị kẹt giấy"
        case .paused: "Máy in đang tạm dừng"
        case .notAcceptingJobs: "Máy in không nhận lệnh in"
        case .notReady: "Máy in chưa sẵn sàng"
        case .heldByStaff: "Lệnh in đang được giữ lại"
        case .cancelled: "Lệnh in đã bị huỷ"
        case .other(let keyword): "Máy in gặp sự cố (\(keyword))"
        }
    }

    public var en: String {
        switch self {
        case .offline: "The printer is offline"
        case .outOfPaper: "The printer is out of paper"
        case .doorOpen: "The printer cover is open"
        case .paperJam: "Paper is jammed in the printer"
        case .paused: "The printer is paused"
        case .notAcceptingJobs: "The printer is not accepting print jobs"
        case .notReady: "The printer is not ready"
        case .heldByStaff: "The print job is on hold"
        case .cancelled: "The print job was cancelled"
        case .other(let keyword): "The printer reports a problem (\(keyword))"
        }
    }
}

/// A CUPS queue as Get-Printer-Attributes reports it.
public struct PrinterStatus: Sendable, Hashable {
    /// IPP printer-state.
    public enum State: Int, Sendable {
        case idle = 3, processing = 4, stopped = 5
    }

    public let state: State
    /// IPP printer-state-reasons keywords, e.g. `media-empty-error`, `paused`; never `none`.
    public let reasons: [String]
    public let isAcceptingJobs: Bool
    /// Free text from the backend or from `cupsdisable -r`, for staff rather than citizens.
    public let message: String

    public init(state: State, reasons: [String], isAcceptingJobs: Bool, message: String) {
        self.state = state
        self.reasons = reasons.filter { $0 != "none" }
        self.isAcceptingJobs = isAcceptingJobs
        self.message = message
    }

    /// The device's own condition wins over `paused`, because CUPS pauses a queue
    /// whenever a backend stops on an error, and the citizen needs the cause.
    public var problem: PrinterProblem? {
        let conditions = reasons.map(Self.condition)
        if let known = conditions.lazy.compactMap(Self.problem(forCondition:)).first { return known }
        // Other errors still block printing; warnings and reports (toner low) do not.
        if let error = reasons.first(where: { $0.hasSuffix("-error") }) { return .other(error) }
        if conditions.contains("paused") { return .paused }
        if !isAcceptingJobs { return .notAcceptingJobs }
        return nil
    }

    /// `media-empty-error` → `media-empty`: RFC 8011 severity suffixes aside.
    static func condition(_ reason: String) -> String {
        for suffix in ["-error", "-warning", "-report"] where reason.hasSuffix(suffix) {
            return String(reason.dropLast(suffix.count))
        }
        return reason
    }

    static func problem(forCondition condition: String) -> PrinterProblem? {
        switch condition {
        case "media-empty", "media-needed": .outOfPaper
        case "door-open", "cover-open", "interlock-open": .doorOpen
        case "media-jam": .paperJam
        case "offline", "shutdown", "timed-out": .offline
        default: nil
        }
    }
}

/// A job and its printer, as one answer for the kiosk.
public struct PrintJobStatus: Sendable, Hashable {
    /// IPP job-state.
    public enum State: Int, Sendable {
        case pending = 3, held = 4, processing = 5, stopped = 6, canceled = 7, aborted = 8, completed = 9
    }

    public let job: PrintJob
    public let state: State
    /// IPP job-state-reasons keywords; never `none`.
    public let reasons: [String]
    public let printer: PrinterStatus

    public init(job: PrintJob, state: State, reasons: [String], printer: PrinterStatus) {
        self.job = job
        self.state = state
        self.reasons = reasons.filter { $0 != "none" }
        self.printer = printer
    }

    public var outcome: PrintOutcome {
        switch state {
        case .completed: .printed
        case .canceled, .aborted: .failed
        case .held, .stopped: .held
        // A stopped queue keeps its jobs pending forever: for the citizen that is held.
        case .pending: printer.state == .stopped ? .held : .queued
        case .processing: .printing
        }
    }

    /// What to tell the citizen: the printer's problem, else the job's own reason when
    /// it will not print. Nil when all is well.
    public var problem: PrinterProblem? {
        if outcome == .printed { return nil }
        if let problem = printer.problem { return problem }
        switch outcome {
        case .held where reasons.contains("job-hold-until-specified"): return .heldByStaff
        case .held: return .notReady
        case .failed where reasons.contains(where: { $0.hasPrefix("job-canceled") }): return .cancelled
        case .failed: return .other(reasons.first ?? "job-aborted")
        default: return nil
        }
    }

    /// Printed, failed or held: waiting longer will not change it by itself.
    public var isSettled: Bool { outcome == .printed || outcome == .failed || outcome == .held }
}
