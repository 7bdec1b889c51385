import AsyncHTTPClient
import Foundation
import Logging
import MotcuaCore
import MotcuaStore
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Sends received dossiers and the counter's later decisions to the national portal's
/// endpoint, from the outbox with its own cursor: each dossier event is read in order and
/// the cursor moves past it only once the portal has taken it (or it has nothing for the
/// portal), so nothing is lost across restarts. A repeat after a lost answer carries the
/// same `Idempotency-Key` (the event id) for the portal to recognise.
public final class PortalExporter: ServiceLifecycle.Service, Sendable {
    public static let consumer = "portal"

    private let store: Store
    private let endpoint: String
    private let token: String?
    private let timeZone: TimeZone
    private let idlePoll: Duration
    private let logger: Logger

    public init(store: Store, endpoint: String, token: String?, timeZone: TimeZone, idlePoll: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.token = token
        self.timeZone = timeZone
        self.idlePoll = idlePoll
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Backoff(base: .milliseconds(500), cap: .seconds(60))
            var generator = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                let wait: Duration
                do {
                    wait = try await self.exportOnce() > 0 ? .zero : self.idlePoll
                    backoff.succeeded()
                } catch {
                    wait = backoff.failed(using: &generator)
                    if backoff.failures <= 3 || backoff.failures % 10 == 0 {
                        self.logger.warning("could not export to the portal", metadata: ["error": "\(error)", "failures": "\(backoff.failures)"])
                    }
                }
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
        }
    }

    /// Exports the dossier events after the cursor, in order, stopping at the first failure.
    /// Returns how many events it moved past.
    @discardableResult
    public func exportOnce(limit: Int = 50) async throws -> Int {
        let cursor = try await store.outboxCursor(Self.consumer)
        let events = try await store.outboxEvents(after: cursor, kindPrefix: "dossier.", limit: limit)
        let fields = Dictionary(try await store.procedures().map { ($0.code, $0.field) }) { first, _ in first }
        for event in events {
            if let record = try await record(for: event, fields: fields) {
                try await send(record, key: event.eventId)
            }
            try await store.advanceOutboxCursor(Self.consumer, to: event.id ?? 0)
        }
        return events.count
    }

    /// The portal record an event calls for, as the dossier stands when the event is sent.
    private func record(for event: OutboxEvent, fields: [String: String]) async throws -> PortalRecord? {
        struct Reference: Decodable { let code: String }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(event.payload.utf8))
        guard let status = DossierStatus(rawValue: String(event.kind.dropFirst("dossier.".count))), status != .prepared,
              let dossier = try await store.dossier(code: reference.code) else { return nil }
        return PortalRecord(dossier, as: status, field: fields[dossier.dossier.procedureCode] ?? "", timeZone: timeZone)
    }

    private func send(_ record: PortalRecord, key: String) async throws(CentreError) {
        var request = HTTPClientRequest(url: endpoint + record.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let status: HTTPResponseStatus
        do {
            request.body = .bytes(ByteBuffer(bytes: try record.json()))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            status = response.status
            _ = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw .unreachable(String(describing: error))
        }
        guard (200..<300).contains(Int(status.code)) else { throw .refused(status: Int(status.code), body: "") }
    }
}
