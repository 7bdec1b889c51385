import Foundation
import Hummingbird
import MotcuaCore
import MotcuaStore
import MotcuaSync

/// Sync between sites and their centre: at the centre, the sites' events coming in and the
/// province's view of its sites; at a site, how far its outbox is behind.
struct SyncController {
    let store: Store
    let clock: WallClock
    let siteTime: SiteTime
    /// This node's pass key, handed to sites with the configuration.
    /// The centre's own pass keys go to its sites: the current one and those in their overlap.
    let trustedKeys: TrustedKeys
    /// At a centre: the folder of each site's device files.
    let siteDevicesPath: String

    struct SiteView: Encodable, Sendable {
        let id: String
        let cursor: Int64
        let eventsReceived: Int
        let lastEventAt: String?
        let lastBatchAt: String
        let ticketsIssuedToday: Int
        let waiting: Int
        let served: Int
        let noShows: Int
        let configVersion: String?
        let configAppliedAt: String?
    }

    /// One site's day in the report across sites.
    struct SiteDayView: Encodable, Sendable {
        let siteId: String
        let date: String
        let issued: Int
        let served: Int
        let noShows: Int
        let open: Int
        let bookingsCheckedIn: Int
        let averageWaitMinutes: Double?
    }

    /// The longest range one report may cover, so a request stays cheap.
    static let maximumReportDays = 92

    struct StatusView: Encodable, Sendable {
        let centre: String
        let pending: Int
        let oldestPendingAt: String?
        let lagSeconds: Double
        let lastSuccessAt: String?
        let lastError: String?
        let failures: Int
        /// The centre configuration this site runs, nil until the first arrives.
        let configVersion: String?
    }

    /// A centre's routes: sites push to `sync/events` with their own token; managers read `sites`.
    func addCentreRoutes(sites: RouterGroup<AppRequestContext>, managers: RouterGroup<AppRequestContext>) {
        sites.post("sync/events") { request, context in
            let batch = try await request.decodeJSON(EventBatch.self, context: context)
            // A site's token is named after the site: one site cannot push as another.
            guard batch.site == context.principal?.name else {
                throw APIError(
                    .forbidden, code: "site_mismatch", field: "site",
                    vi: "Mã truy cập này không thuộc điểm \(batch.site).", en: "This token does not belong to site \(batch.site)."
                )
            }
            let events = try Self.received(batch)
            do {
                let receipt = try await store.ingest(siteId: batch.site, events: events, now: clock.now)
                return JSONResponse(BatchReceipt(accepted: receipt.accepted, duplicates: receipt.duplicates, cursor: receipt.cursor))
            } catch SyncRefusal.malformedPayload(let eventId) {
                let index = events.firstIndex { $0.eventId == eventId } ?? 0
                throw APIError(
                    .unprocessableContent, code: "malformed_payload", field: "events[\(index)].payload",
                    vi: "Sự kiện vé thiếu ticketId, number, serviceId hoặc day; cả lô không được nhận.",
                    en: "A ticket event lacks ticketId, number, serviceId or day; the batch was not taken."
                )
            }
        }
        sites.get("sync/config") { request, context in
            // Read on each request: a centre's staff edit a site's files without a restart.
            // A site id is a plain name, never a path.
            let site = context.principal?.name ?? ""
            let plain = !site.isEmpty && site.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            let devices = plain ? try CentreConfig.DeviceFiles(folder: (siteDevicesPath as NSString).appendingPathComponent(site)) : nil
            let config = try CentreConfig(
                passKeys: trustedKeys.published(at: clock.now), holidayNotices: try await store.holidayNotices(),
                procedures: try await store.procedures(), devices: devices
            )
            let etag = "\"\(config.version)\""
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            var response = try JSONResponse(config).response(from: request, context: context)
            response.headers[.eTag] = etag
            return response
        }
        sites.post("sync/config/ack") { request, context in
            let ack = try await request.decodeJSON(ConfigAck.self, context: context)
            try await store.recordConfigApplied(siteId: context.principal?.name ?? "", version: ack.version, at: clock.now)
            return JSONResponse(ack)
        }
        managers.get("sites") { _, _ in
            let today = LocalDate(clock.now, in: siteTime.timeZone)
            return JSONResponse(try await store.siteSummaries(day: today).map {
                SiteView(
                    id: $0.siteId, cursor: $0.cursor, eventsReceived: $0.eventsReceived, lastEventAt: $0.lastEventAt.map(siteTime.string),
                    lastBatchAt: siteTime.string($0.lastBatchAt), ticketsIssuedToday: $0.ticketsIssued, waiting: $0.waiting,
                    served: $0.served, noShows: $0.noShows, configVersion: $0.configVersion,
                    configAppliedAt: $0.configAppliedAt.map(siteTime.string)
                )
            })
        }
        managers.get("sites/report") { request, _ in
            let (from, to) = try siteTime.dateRange(request.uri.queryParameters, maximumDays: Self.maximumReportDays)
            return JSONResponse(try await store.siteDays(from: from, to: to).map {
                SiteDayView(
                    siteId: $0.siteId, date: $0.day, issued: $0.issued, served: $0.served, noShows: $0.noShows, open: $0.open,
                    bookingsCheckedIn: $0.bookingsCheckedIn,
                    averageWaitMinutes: $0.averageWaitSeconds.map { ($0 / 6).rounded() / 10 }
                )
            })
        }
    }

    /// A site's route: the link to its centre, for the manager console.
    func addSiteRoutes(managers: RouterGroup<AppRequestContext>, pusher: OutboxPusher, puller: ConfigPuller) {
        managers.get("sync/status") { _, _ in
            let state = pusher.current
            // The backlog as it is now: the pusher's own view is as old as its last attempt,
            // which against an unreachable centre may be a timeout ago.
            let backlog = try await store.outboxBacklog()
            return JSONResponse(StatusView(
                centre: pusher.centre, pending: backlog.pending, oldestPendingAt: backlog.oldestPendingAt.map(siteTime.string),
                lagSeconds: backlog.lag(now: clock.now), lastSuccessAt: state.lastSuccessAt.map(siteTime.string),
                lastError: state.lastError, failures: state.failures, configVersion: puller.version
            ))
        }
    }

    /// The batch's events, checked: not too many, in outbox order, each with a readable time.
    static func received(_ batch: EventBatch) throws -> [ReceivedEvent] {
        guard batch.events.count <= EventBatch.maximumEvents else {
            throw APIError.invalid(
                "events", vi: "Mỗi lần gửi tối đa \(EventBatch.maximumEvents) sự kiện.",
                en: "At most \(EventBatch.maximumEvents) events per batch."
            )
        }
        var previous: Int64 = 0
        return try batch.events.enumerated().map { index, event in
            guard event.seq > previous else {
                throw APIError(
                    .unprocessableContent, code: "events_out_of_order", field: "events[\(index)].seq",
                    vi: "Các sự kiện phải theo thứ tự seq tăng dần.", en: "Events must come in increasing seq order."
                )
            }
            previous = event.seq
            guard let occurredAt = EventBatch.date(event.occurredAt), !event.id.isEmpty, !event.kind.isEmpty else {
                throw APIError.invalid(
                    "events[\(index)]", vi: "Sự kiện thiếu mã, loại hoặc thời điểm hợp lệ.", en: "The event lacks a valid id, kind or time."
                )
            }
            return ReceivedEvent(eventId: event.id, seq: event.seq, kind: event.kind, payload: event.payload, occurredAt: occurredAt)
        }
    }
}
