internal import CPrintLibraries
import Foundation

/// What the kiosk sends: the printer profile's `format` decides which.
public enum DocumentFormat: String, Sendable {
    case pdf = "application/pdf"
    case png = "image/png"
}

public enum PrintError: Error, Hashable, CustomStringConvertible {
    case serverUnreachable(PrintServer, reason: String)
    case timedOut(PrintServer, operation: String)
    case queueNotFound(String, on: PrintServer)
    case notAcceptingJobs(String)
    case jobNotFound(PrintJob)
    /// Any other refusal: the IPP status and cupsd's message.
    case refused(operation: String, status: String, message: String)

    public var description: String {
        switch self {
        case let .serverUnreachable(server, reason): "print server \(server) is unreachable: \(reason)"
        case let .timedOut(server, operation): "print server \(server) did not answer \(operation) in time"
        case let .queueNotFound(queue, server): "print server \(server) has no queue '\(queue)'"
        case let .notAcceptingJobs(queue): "print queue '\(queue)' is not accepting jobs"
        case let .jobNotFound(job): "print job \(job) does not exist"
        case let .refused(operation, status, message): "\(operation) refused: \(status) (\(message))"
        }
    }
}

/// Talks IPP to one cupsd through libcups. libcups blocks, so every call runs on a
/// thread of its own outside Swift's cooperative pool, on its own connection, bounded by
/// `timeout` for connecting and for each read or write.
public struct CupsClient: Sendable {
    /// nil: the one libcups would use, asked when first needed (asking opens the print
    /// libraries, which a server that never prints should not load).
    private let chosenServer: PrintServer?
    public let timeout: Duration

    public init(server: PrintServer? = nil, timeout: Duration = .seconds(5)) {
        self.chosenServer = server
        self.timeout = timeout
    }

    public var server: PrintServer {
        get throws { try chosenServer ?? .local }
    }

    /// Hands a document to cupsd (Create-Job, then Send-Document) and returns at once;
    /// follow the job with `outcome(of:waitingAtMost:)`.
    public func submit(_ document: Data, format: DocumentFormat = .pdf, to queue: String, title: String) async throws -> PrintJob {
        try await blocking { connection in try connection.submit(document, format: format, to: queue, title: title) }
    }

    public func status(of job: PrintJob) async throws -> PrintJobStatus {
        try await blocking { connection in
            let (state, reasons) = try connection.jobState(job)
            return PrintJobStatus(job: job, state: state, reasons: reasons, printer: try connection.printerStatus(job.queue))
        }
    }

    public func printerStatus(_ queue: String) async throws -> PrinterStatus {
        try await blocking { connection in try connection.printerStatus(queue) }
    }

    /// Polls until the job is printed, failed or held, or `limit` has passed; then returns
    /// the last status seen (queued or printing when time ran out).
    public func outcome(
        of job: PrintJob, waitingAtMost limit: Duration, pollingEvery interval: Duration = .milliseconds(100)
    ) async throws -> PrintJobStatus {
        let deadline = ContinuousClock.now + limit
        while true {
            let status = try await status(of: job)
            if status.isSettled || ContinuousClock.now >= deadline { return status }
            try await Task.sleep(for: interval)
        }
    }

    /// A ticket printed minutes late is worse than none: the kiosk cancels what it gave up on.
    public func cancel(_ job: PrintJob) async throws {
        try await blocking { connection in try connection.cancel(job) }
    }

    /// A thread per call rather than a dispatch queue: on Linux, concurrent queues share
    /// about one thread per core, which a hung print server would fill as it fills the
    /// cooperative pool. Calls are few (a kiosk prints a ticket, then polls it).
    private func blocking<T: Sendable>(_ body: @escaping @Sendable (CupsConnection) throws -> T) async throws -> T {
        let server = try server, timeout = timeout
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    let connection = try CupsConnection(server: server, timeout: timeout)
                    defer { connection.close() }
                    return try body(connection)
                })
            }
            thread.name = "motcua.cups"
            thread.start()
        }
    }
}

/// One libcups connection, used by one thread for one client call.
final class CupsConnection {
    private let http: OpaquePointer
    private let server: PrintServer

    init(server: PrintServer, timeout: Duration) throws {
        try PrintLibraries.load()
        // libcups keeps these per thread. Its helpers (cupsCreateJob looks the queue up
        // again) talk to cupsServer(), not to the connection they are given.
        cupsSetServer(server.description)
        // libcups would otherwise ask for a password on the controlling terminal.
        cupsSetPasswordCB2({ _, _, _, _, _ in nil }, nil)
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        guard let http = httpConnect2(
            server.host, Int32(server.port), nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, Int32(milliseconds), nil
        ) else {
            throw PrintError.serverUnreachable(server, reason: String(cString: cupsLastErrorString()))
        }
        // No callback: a read or write that waits this long fails instead of retrying.
        httpSetTimeout(http, Double(milliseconds) / 1000, nil, nil)
        self.http = http
        self.server = server
    }

    func close() {
        httpClose(http)
    }

    func submit(_ document: Data, format: DocumentFormat, to queue: String, title: String) throws -> PrintJob {
        let id = cupsCreateJob(http, queue, title, 0, nil)
        guard id > 0 else {
            let error = lastError("Create-Job", queue: queue)
            // cupsCreateJob reports a missing queue as an internal error; cupsd says it plainly.
            if case .refused = error { _ = try printerStatus(queue) }
            throw error
        }
        let job = PrintJob(id: Int(id), queue: queue)
        do {
            guard cupsStartDocument(http, queue, id, title, format.rawValue, 1) == HTTP_STATUS_CONTINUE else {
                throw lastError("Send-Document", queue: queue)
            }
            let written = document.withUnsafeBytes { bytes in
                cupsWriteRequestData(http, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
            }
            guard written == HTTP_STATUS_CONTINUE else { throw lastError("Send-Document", queue: queue) }
            guard cupsFinishDocument(http, queue).rawValue < IPP_STATUS_REDIRECTION_OTHER_SITE.rawValue else {
                throw lastError("Send-Document", queue: queue)
            }
        } catch {
            // A created job without its document would sit in the queue until purged.
            if let other = try? CupsConnection(server: server, timeout: .seconds(1)) {
                try? other.cancel(job)
                other.close()
            }
            throw error
        }
        return job
    }

    func jobState(_ job: PrintJob) throws -> (PrintJobStatus.State, [String]) {
        let response = try request(IPP_OP_GET_JOB_ATTRIBUTES, queue: job.queue, job: job, asking: ["job-state", "job-state-reasons"])
        defer { ippDelete(response) }
        guard let state = PrintJobStatus.State(rawValue: Int(integer(response, "job-state"))) else {
            throw PrintError.refused(operation: "Get-Job-Attributes", status: "successful-ok", message: "no job-state for \(job)")
        }
        return (state, strings(response, "job-state-reasons"))
    }

    func printerStatus(_ queue: String) throws -> PrinterStatus {
        let response = try request(
            IPP_OP_GET_PRINTER_ATTRIBUTES, queue: queue, job: nil,
            asking: ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message"]
        )
        defer { ippDelete(response) }
        return PrinterStatus(
            state: PrinterStatus.State(rawValue: Int(integer(response, "printer-state"))) ?? .stopped,
            reasons: strings(response, "printer-state-reasons"),
            isAcceptingJobs: ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN).map { ippGetBoolean($0, 0) != 0 } ?? false,
            message: strings(response, "printer-state-message").first ?? ""
        )
    }

    func cancel(_ job: PrintJob) throws {
        let status = cupsCancelJob2(http, job.queue, Int32(job.id), 0)
        guard status.rawValue < IPP_STATUS_REDIRECTION_OTHER_SITE.rawValue else {
            throw lastError("Cancel-Job", queue: job.queue, job: job)
        }
    }

    private func request(_ operation: ipp_op_t, queue: String, job: PrintJob?, asking attributes: [String]) throws -> OpaquePointer {
        let request = ippNewRequest(operation)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, Self.printerURI(queue))
        if let job { ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", Int32(job.id)) }
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        for name in attributes {
            // The first call creates the attribute, the others append to it.
            if let existing = ippFindAttribute(request, "requested-attributes", IPP_TAG_KEYWORD) {
                var attribute: OpaquePointer? = existing
                ippSetString(request, &attribute, ippGetCount(existing), name)
            } else {
                ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nil, name)
            }
        }
        // cupsDoRequest frees the request.
        guard let response = cupsDoRequest(http, request, "/"),
              ippGetStatusCode(response).rawValue < IPP_STATUS_REDIRECTION_OTHER_SITE.rawValue
        else {
            throw lastError(String(cString: ippOpString(operation)), queue: queue, job: job)
        }
        return response
    }

    /// Turns libcups' last error (kept per thread) into a PrintError.
    private func lastError(_ operation: String, queue: String, job: PrintJob? = nil) -> PrintError {
        let status = cupsLastError(), connectionError = httpError(http)
        if connectionError == ETIMEDOUT { return .timedOut(server, operation: operation) }
        switch status {
        case IPP_STATUS_ERROR_NOT_FOUND:
            if let job, operation != "Get-Printer-Attributes" { return .jobNotFound(job) }
            return .queueNotFound(queue, on: server)
        case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
            return .notAcceptingJobs(queue)
        case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE where connectionError != 0, IPP_STATUS_ERROR_INTERNAL where connectionError != 0:
            return .serverUnreachable(server, reason: String(cString: strerror(connectionError)))
        default:
            return .refused(
                operation: operation, status: String(cString: ippErrorString(status)),
                message: String(cString: cupsLastErrorString())
            )
        }
    }

    private func integer(_ response: OpaquePointer, _ name: String) -> Int32 {
        ippFindAttribute(response, name, IPP_TAG_ZERO).map { ippGetInteger($0, 0) } ?? 0
    }

    private func strings(_ response: OpaquePointer, _ name: String) -> [String] {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        return (0..<ippGetCount(attribute)).compactMap { index in
            ippGetString(attribute, index, nil).map { String(cString: $0) }
        }
    }

    /// libcups addresses queues as ipp://localhost/printers/NAME whatever the connection.
    private static func printerURI(_ queue: String) -> String {
        var uri = [CChar](repeating: 0, count: Int(HTTP_MAX_URI))
        httpAssembleURI(HTTP_URI_CODING_ALL, &uri, Int32(uri.count), "ipp", nil, "localhost", ippPort(), "/printers/\(queue)")
        return String(decoding: uri.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
