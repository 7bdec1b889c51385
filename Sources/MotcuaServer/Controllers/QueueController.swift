import Foundation
import HTTPTypes
import Hummingbird
import MotcuaCore
import MotcuaPrint
import MotcuaStore
import ServiceLifecycle

/// The hall: tickets from the kiosk, check-ins of bookings, calls from counters, and the
/// status displays read (with ETag/304) or stream (Server-Sent Events).
struct QueueController {
    let store: Store
    let clock: WallClock
    let siteTime: SiteTime
    let siteId: String
    let policy: QueuePolicy
    let catalog: CatalogCache
    let board: QueueBoard
    let ticketPasses: TicketPasses
    let trustedKeys: TrustedKeys
    /// Where bookings live: a site looks a typed code up at the centre.
    let bookings: any BookingCalendar
    let announcer: Announcer
    /// The site's displays: a hall's services are those its displays show.
    let devices: DeviceProfilesCache
    let printer: ReceiptPrinter
    /// Heads every printed ticket.
    let centreName: String
    let estimator = WaitEstimator()

    /// A line of the counter console's waiting list: no position, which would cost a standing
    /// per ticket, and no personal data.
    struct WaitingTicket: Encodable, Sendable {
        let id: Int64
        let number: String
        let serviceId: String
        let priority: PriorityCategory?
        let bookingCode: String?
        /// Set when it was transferred to one counter in particular.
        let counterId: Int?
        let issuedAt: String
    }

    struct TicketView: Encodable, Sendable {
        let id: Int64
        let number: String
        let serviceId: String
        let status: Ticket.Status
        let priority: PriorityCategory?
        let bookingCode: String?
        let counterId: Int?
        let issuedAt: String
        let calledAt: String?
        let recalls: Int
        /// 1 = next; only while waiting.
        let position: Int?
        let estimatedWaitMinutes: Int?
        /// The citizen's satisfaction once given, 1 (not satisfied) … 4 (very satisfied).
        let rating: Int?
        /// The ticket's QR code (`TicketPass`): scanned at the kiosk, it shows the ticket's
        /// status and takes its rating.
        let qr: String
    }

    struct CheckInView: Encodable, Sendable {
        struct Timing: Encodable, Sendable {
            let outcome: String
            let message: String
        }
        let ticket: TicketView
        let checkIn: Timing
    }

    struct StatusView: Encodable, Sendable {
        struct ServiceLine: Encodable, Sendable {
            let id: String
            let name: String
            let nameEn: String
            let prefix: String
            let waiting: Int
            let openCounters: Int
            let estimatedWaitMinutes: Int?
        }
        struct CounterLine: Encodable, Sendable {
            struct Serving: Encodable, Sendable {
                let id: Int64
                let number: String
                let serviceId: String
                let calledAt: String?
            }
            let id: Int
            let name: String
            let isOpen: Bool
            let serviceIds: [String]
            let ticket: Serving?
        }
        struct Call: Encodable, Sendable {
            struct Audio: Encodable, Sendable {
                let url: String
                /// Plays in this order; a display plays each clip after the one before ends.
                let sequence: Int
                let seconds: Double
                let text: String
            }
            let ticketId: Int64
            let number: String
            let counterId: Int?
            let counterName: String?
            let calledAt: String?
            let recalls: Int
            let announcement: Audio?
        }
        let updatedAt: String
        let services: [ServiceLine]
        let counters: [CounterLine]
        let recentCalls: [Call]
    }

    struct NewTicket: Decodable {
        let serviceId: String
        let priority: String?
    }

    struct CheckInRequest: Decodable {
        let qr: String?
        let bookingCode: String?
    }

    struct Transfer: Decodable {
        let serviceId: String?
        let counterId: Int?
    }

    struct Pick: Decodable {
        let ticketId: Int64
    }

    struct Rating: Decodable {
        let score: Int
        /// The ticket's QR, as for reading it; the counter's device rates with its officer.
        let pass: String?
    }

    struct TicketScan: Decodable {
        let qr: String
    }

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("tickets") { request, context in
            let body = try await request.decodeJSON(NewTicket.self, context: context)
            let priority = try body.priority.map { raw in
                guard let category = PriorityCategory(rawValue: raw), policy.priorityCategories.contains(category) else {
                    let allowed = policy.priorityCategories.map(\.rawValue).sorted().joined(separator: ", ")
                    throw APIError.invalid("priority", vi: "priority phải là một trong: \(allowed).", en: "priority must be one of: \(allowed).")
                }
                return category
            }
            let ticket = try await queueAction {
                try await store.issueTicket(serviceId: body.serviceId, priority: priority, now: clock.now, timeZone: siteTime.timeZone)
            }
            return JSONResponse(try await view(ticket), status: .created)
        }
        group.get("tickets/{id}") { request, context in
            JSONResponse(try await view(try await heldTicket(request, context)))
        }
        group.get("tickets/{id}/qr.svg") { request, context in
            try QRCode(try pass(for: try await heldTicket(request, context)), correction: .quartile).svgResponse
        }
        group.get("tickets/{id}/receipt.pdf") { request, context in
            try printer.pdf(.ticket, try await paper(for: try await heldTicket(request, context)))
        }
        group.post("tickets/{id}/print") { request, context in
            let ticket = try await heldTicket(request, context)
            let outcome = try await printer.print(
                .ticket, try await paper(for: ticket), document: "ticket:\(ticket.id)",
                kioskId: request.uri.queryParameters["kiosk"].map(String.init), language: context.language
            )
            return JSONResponse(outcome)
        }
        group.post("tickets/scan") { request, context in
            let body = try await request.decodeJSON(TicketScan.self, context: context)
            return JSONResponse(try await view(try await ticket(scanned: body.qr)))
        }
        group.post("tickets/{id}/rating") { request, context in
            let body = try await request.decodeJSON(Rating.self, context: context)
            guard (1...4).contains(body.score) else {
                throw APIError.invalid(
                    "score", vi: "score từ 1 (không hài lòng) đến 4 (rất hài lòng).", en: "score is 1 (not satisfied) to 4 (very satisfied)."
                )
            }
            let id = try await heldTicket(request, context, pass: body.pass).id
            let ticket = try await queueAction { try await store.rate(ticketId: id, score: body.score, now: clock.now) }
            return JSONResponse(try await view(ticket))
        }
        group.post("checkins") { request, context in
            let body = try await request.decodeJSON(CheckInRequest.self, context: context)
            let (code, pass) = try await bookingToCheckIn(body, language: context.language)
            let vouched = pass.map { VouchedBooking(code: code, serviceId: $0.serviceId, start: $0.bookedStart) }
            let checkIn: CheckIn
            do {
                checkIn = try await store.checkIn(code: code, vouched: vouched, policy: policy, now: clock.now, timeZone: siteTime.timeZone)
            } catch let error as CheckInError {
                throw APIError(error, timeZone: siteTime.timeZone)
            }
            board.changed(at: clock.now)
            let start = checkIn.ticket.bookedStart ?? clock.now
            let message = context.language == .en
                ? checkIn.outcome.en(bookedStart: start, timeZone: siteTime.timeZone)
                : checkIn.outcome.vi(bookedStart: start, timeZone: siteTime.timeZone)
            return JSONResponse(
                CheckInView(ticket: try await view(checkIn.ticket), checkIn: .init(outcome: checkIn.outcome.code, message: message)),
                status: .created
            )
        }
        group.get("queue/status") { request, context in
            let filter = try serviceFilter(request)
            let key = filter.sorted().joined(separator: ",")
            let (version, body) = try await board.body(for: key) { try encode(try await status(filter)) }
            let etag = "\"\(board.epoch)-\(version)-\(key)\""
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .eTag: etag, .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        group.get("announcements/{file}") { _, context in
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".wav"), let wav = announcer.wav(id: String(file.dropLast(4))) else {
                throw APIError.notFound(LocalizedText(vi: "thông báo", en: "announcement"))
            }
            return Response(status: .ok, headers: [.contentType: "audio/wav", .cacheControl: "public, max-age=86400"], body: .init(byteBuffer: ByteBuffer(bytes: wav)))
        }
        group.get("queue/events") { request, _ in
            let filter = try serviceFilter(request)
            let key = filter.sorted().joined(separator: ",")
            let subscription = board.subscribe()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    // A keep-alive every 15 s: proxies keep the line open, and a display that
                    // has gone is noticed by the failed write instead of lingering until the
                    // next change.
                    let heartbeat = Task {
                        while (try? await Task.sleep(for: .seconds(15))) != nil { board.poke(subscription.id) }
                    }
                    defer {
                        heartbeat.cancel()
                        board.unsubscribe(subscription.id)
                    }
                    // Shutdown ends the stream, so a connected display never holds the server up.
                    try await withGracefulShutdownHandler {
                        // The current state first, so a display that reconnects is right at once.
                        var last = -1
                        var wake: Int? = 0
                        while let woken = wake {
                            if woken < 0 {
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            } else {
                                let (version, body) = try await board.body(for: key) { try encode(try await status(filter)) }
                                if version != last {
                                    last = version
                                    try await writer.write(ByteBuffer(
                                        string: "id: \(board.epoch)-\(version)\nevent: status\ndata: \(String(decoding: body, as: UTF8.self))\n\n"
                                    ))
                                }
                            }
                            wake = await subscription.versions.first(where: { _ in true })
                        }
                    } onGracefulShutdown: {
                        board.unsubscribe(subscription.id)
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }

    func addStaffRoutes(to group: RouterGroup<AppRequestContext>) {
        // What an officer may pick out of order: today's waiting tickets, oldest first.
        group.get("queue/waiting") { request, _ in
            let filter = try serviceFilter(request)
            let waiting = try await store.tickets(day: LocalDate(clock.now, in: siteTime.timeZone)).filter {
                $0.status == .waiting && (filter.isEmpty || filter.contains($0.serviceId))
            }
            return JSONResponse(waiting.sorted { ($0.issuedAt, $0.id) < ($1.issuedAt, $1.id) }.map { ticket in
                WaitingTicket(
                    id: ticket.id, number: ticket.number, serviceId: ticket.serviceId, priority: ticket.priority,
                    bookingCode: ticket.bookingCode?.description, counterId: ticket.counterId, issuedAt: siteTime.string(ticket.issuedAt)
                )
            })
        }
        group.post("counters/{id}/call-next") { request, context in
            let counterId = try context.parameters.require("id", as: Int.self)
            guard let ticket = try await queueAction({
                try await store.callNext(counterId: counterId, policy: policy, now: clock.now, timeZone: siteTime.timeZone)
            }) else {
                return Response(status: .noContent)
            }
            await announce(ticket, context)
            return try JSONResponse(try await view(ticket)).response(from: request, context: context)
        }
        group.post("counters/{id}/pick") { request, context in
            let counterId = try context.parameters.require("id", as: Int.self)
            let body = try await request.decodeJSON(Pick.self, context: context)
            let ticket = try await queueAction {
                try await store.pick(ticketId: body.ticketId, counterId: counterId, actor: auditName(context), now: clock.now)
            }
            await announce(ticket, context)
            return JSONResponse(try await view(ticket))
        }
        group.post("tickets/{id}/recall") { _, context in
            let response = try await ticketAction(context) { try await store.recall(ticketId: $0, now: clock.now) }
            if let ticket = try await store.ticket(id: response.value.id) { await announce(ticket, context) }
            return response
        }
        group.post("tickets/{id}/no-show") { _, context in
            try await ticketAction(context) { try await store.markNoShow(ticketId: $0, now: clock.now) }
        }
        group.post("tickets/{id}/done") { _, context in
            try await ticketAction(context) { try await store.finish(ticketId: $0, now: clock.now) }
        }
        group.post("tickets/{id}/transfer") { request, context in
            let body = try await request.decodeJSON(Transfer.self, context: context)
            guard body.serviceId != nil || body.counterId != nil else {
                throw APIError.invalid("serviceId", vi: "Cần serviceId hoặc counterId.", en: "Give serviceId or counterId.")
            }
            return try await ticketAction(context) {
                try await store.transfer(ticketId: $0, toService: body.serviceId, toCounter: body.counterId, now: clock.now)
            }
        }
    }

    /// Reports for managers: the figures of one day (today by default) per service and counter.
    func addManagerRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("queue/statistics") { request, _ in
            let date = request.uri.queryParameters["date"].map(String.init)
            let day = try date.map { try siteTime.date($0, field: "date") } ?? LocalDate(clock.now, in: siteTime.timeZone)
            return JSONResponse(QueueStatistics(day: day, tickets: try await store.tickets(day: day), onTimeMinutes: policy.checkInMinutesAfter))
        }
    }

    // MARK: - Helpers

    private func requireTicket(_ context: AppRequestContext) async throws -> Ticket {
        guard let ticket = try await store.ticket(id: try context.parameters.require("id", as: Int64.self)) else {
            throw APIError(QueueRefusal.ticketNotFound)
        }
        return ticket
    }

    /// The values of the ticket layout: what the paper says is what the kiosk screen says.
    private func paper(for ticket: Ticket) async throws -> [String: LayoutValue] {
        let shown = try await view(ticket)
        return [
            "centreName": .text(centreName),
            "serviceName": .text(catalog.current.services.first { $0.id == ticket.serviceId }?.name ?? ticket.serviceId),
            "ticketNumber": .text(ticket.number),
            "issuedAt": .text(siteTime.onPaper(ticket.issuedAt)),
            "peopleAhead": .text(shown.position.map { String($0 - 1) } ?? "0"),
            "estimatedWait": .text(shown.estimatedWaitMinutes.map { "khoảng \($0) phút" } ?? "—"),
            "pass": .text(shown.qr),
        ]
    }

    /// Makes the call's spoken announcement and puts it on the board. Without sound (no
    /// espeak-ng, or it failed) the call still shows; the failure is logged.
    private func announce(_ ticket: Ticket, _ context: AppRequestContext) async {
        do {
            let counterName = try await store.counters().first { $0.id == ticket.counterId }?.name ?? "\(ticket.counterId ?? 0)"
            let clip = try await announcer.announce(Announcement(ticketNumber: ticket.number, counterName: counterName))
            board.announced(clip, for: ticket.id, at: clock.now)
        } catch {
            context.logger.warning("announcement failed", metadata: ["error": "\(error)"])
        }
    }

    private func ticketAction(_ context: AppRequestContext, _ action: @escaping @Sendable (Int64) async throws -> Ticket) async throws -> JSONResponse<TicketView> {
        let id = try context.parameters.require("id", as: Int64.self)
        return JSONResponse(try await view(try await queueAction { try await action(id) }))
    }

    /// Runs a queue write, maps its refusals, and tells the board the hall changed.
    private func queueAction<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            board.changed(at: clock.now)
            return result
        } catch let refusal as QueueRefusal {
            throw APIError(refusal)
        }
    }

    /// The booking a check-in names, and its verified pass. A scanned QR is checked offline
    /// against the trusted keys. A typed code is enough for a booking held here; one the
    /// centre holds is looked up there and checked by its pass like a scanned one.
    private func bookingToCheckIn(_ body: CheckInRequest, language: Language) async throws -> (BookingCode, SignedPass?) {
        if let qr = body.qr {
            let pass = try verifiedPass(qr)
            guard let code = BookingCode(compact: pass.code) else {
                throw APIError.qr("qr_invalid", vi: "Mã QR không hợp lệ.", en: "This QR code is not valid.")
            }
            return (code, pass)
        }
        guard let typed = body.bookingCode, let code = BookingCode(parsing: typed) else {
            throw APIError.invalid("bookingCode", vi: "Cần mã QR hoặc mã đặt lịch (8 ký tự).", en: "Give the QR or the 8-character booking code.")
        }
        if try await store.booking(code: code) != nil { return (code, nil) }
        let held: BookingView
        do {
            held = try await bookings.booking(code, language: language)
        } catch let error as APIError where error.code == APIError.calendarUnavailable.code {
            throw APIError.checkInNeedsQR
        }
        return (code, try verifiedPass(held.qr))
    }

    private func verifiedPass(_ qr: String) throws -> SignedPass {
        let now = clock.now
        switch trustedKeys.verifier(at: now).verify(qr, now: now) {
        case .success(let pass) where pass.kind == .booking && pass.site == siteId:
            return pass
        case .success:
            throw APIError.qr("qr_other_site", vi: "Mã QR này không dành cho điểm tiếp nhận này.", en: "This QR code is for another site or purpose.")
        case .failure(.expired):
            throw APIError.qr("qr_expired", vi: "Mã QR đã hết hạn.", en: "This QR code has expired.")
        case .failure(.notYetValid):
            throw APIError.qr("qr_not_yet_valid", vi: "Mã QR chưa có hiệu lực.", en: "This QR code is not valid yet.")
        case .failure(.unknownKey), .failure(.badSignature):
            throw APIError.qr("qr_forged", vi: "Mã QR không xác thực được.", en: "This QR code could not be verified.")
        case .failure(.malformed):
            throw APIError.qr("qr_invalid", vi: "Đây không phải mã QR của hệ thống.", en: "This is not a Motcua QR code.")
        }
    }

    /// The services a display asked for: `?services=A,B`, or `?hall=` for those its hall's
    /// displays show (devices/displays.yaml); empty means every service.
    private func serviceFilter(_ request: Request) throws -> Set<String> {
        var services = Set((request.uri.queryParameters["services"].map(String.init) ?? "").split(separator: ",").map(String.init))
        if let hall = request.uri.queryParameters["hall"].map(String.init) {
            let halls = devices.current.hallServices
            guard let shown = halls[hall] else {
                let known = halls.keys.sorted().joined(separator: ", ")
                throw APIError.invalid("hall", vi: "Không có sảnh này; các sảnh: \(known).", en: "No such hall; the halls are: \(known).")
            }
            services.formUnion(shown)
        }
        return services
    }

    private func view(_ ticket: Ticket) async throws -> TicketView {
        var position: Int?
        var wait: Int?
        if ticket.status == .waiting, let standing = try await store.standing(of: ticket.id, policy: policy, now: clock.now) {
            position = standing.position
            wait = estimator.minutes(position: standing.position, openCounters: standing.openCounters, recentDurations: standing.recentDurations)
        }
        return TicketView(
            id: ticket.id, number: ticket.number, serviceId: ticket.serviceId, status: ticket.status, priority: ticket.priority,
            bookingCode: ticket.bookingCode?.description, counterId: ticket.counterId, issuedAt: siteTime.string(ticket.issuedAt),
            calledAt: ticket.calledAt.map(siteTime.string), recalls: ticket.recalls, position: position, estimatedWaitMinutes: wait,
            rating: ticket.rating,
            qr: try pass(for: ticket)
        )
    }

    private func pass(for ticket: Ticket) throws -> String {
        try ticketPasses.text(for: ticket.id)
    }

    /// The ticket a scanned ticket QR stands for, if this site printed it.
    private func ticket(scanned qr: String) async throws -> Ticket {
        guard let ticket = try await store.ticket(id: try ticketPasses.ticketId(scanned: qr).get()) else {
            throw APIError(QueueRefusal.ticketNotFound)
        }
        return ticket
    }

    /// A ticket as its citizen's device may read it: with the ticket's QR (`?pass=`), which
    /// the kiosk got when it issued the ticket or scanned it. Ids follow one another, so by id
    /// alone anyone could read every ticket's QR and rate the day's tickets before their
    /// citizens. Officers and managers read any ticket.
    private func heldTicket(_ request: Request, _ context: AppRequestContext, pass: String? = nil) async throws -> Ticket {
        let ticket = try await requireTicket(context)
        if let role = context.principal?.role, role == .officer || role == .manager { return ticket }
        guard let pass = pass ?? request.uri.queryParameters["pass"].map(String.init) else { throw APIError.ticketPassRequired }
        guard case .success(ticket.id) = ticketPasses.ticketId(scanned: pass) else { throw APIError.ticketPassWrong }
        return ticket
    }

    private func openCounters(_ serviceId: String, _ snapshot: QueueSnapshot) -> Int {
        snapshot.counters.filter { $0.isOpen && $0.serviceIds.contains(serviceId) }.count
    }

    private func status(_ filter: Set<String>) async throws -> StatusView {
        let snapshot = try await store.queueSnapshot(day: LocalDate(clock.now, in: siteTime.timeZone))
        let shown = { (serviceId: String) in filter.isEmpty || filter.contains(serviceId) }
        let names = Dictionary(uniqueKeysWithValues: snapshot.counters.map { ($0.id, $0.name) })
        return StatusView(
            updatedAt: siteTime.string(board.changedAt),
            services: catalog.current.services.filter { shown($0.id) }.map { service in
                let waiting = snapshot.waiting.filter { $0.serviceId == service.id && $0.transferredToCounter == nil }.count
                let open = openCounters(service.id, snapshot)
                return .init(
                    id: service.id, name: service.name, nameEn: service.nameEn, prefix: service.prefix, waiting: waiting, openCounters: open,
                    estimatedWaitMinutes: estimator.minutes(
                        position: waiting + 1, openCounters: open, recentDurations: snapshot.recentDurations[service.id] ?? []
                    )
                )
            },
            counters: snapshot.counters.filter { $0.serviceIds.contains(where: shown) }.map { counter in
                .init(
                    id: counter.id, name: counter.name, isOpen: counter.isOpen, serviceIds: counter.serviceIds,
                    ticket: snapshot.serving[counter.id].map {
                        .init(id: $0.id, number: $0.number, serviceId: $0.serviceId, calledAt: $0.calledAt.map(siteTime.string))
                    }
                )
            },
            recentCalls: snapshot.recentCalls.filter { shown($0.serviceId) }.map {
                .init(
                    ticketId: $0.id, number: $0.number, counterId: $0.counterId, counterName: $0.counterId.flatMap { names[$0] },
                    calledAt: $0.calledAt.map(siteTime.string), recalls: $0.recalls,
                    announcement: board.clip(for: $0.id).map {
                        .init(url: "/api/v1/announcements/\($0.id).wav", sequence: $0.sequence, seconds: $0.duration, text: $0.text)
                    }
                )
            }
        )
    }

    private func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

extension APIError {
    /// At a site that cannot reach the centre, a typed code cannot be looked up; the QR
    /// carries all that is needed.
    static var checkInNeedsQR: APIError {
        var error = APIError(
            .serviceUnavailable, code: "checkin_needs_qr", field: "bookingCode",
            vi: "Tạm thời không tra được mã đặt lịch. Xin quét mã QR của lịch hẹn để vào hàng.",
            en: "Booking codes cannot be looked up right now. Please scan the booking's QR code to check in."
        )
        error.headers[.retryAfter] = "30"
        return error
    }

    static let ticketPassRequired = APIError(
        .forbidden, code: "ticket_pass_required", field: "pass",
        vi: "Cần mã QR trên phiếu (pass) để xem hoặc đánh giá phiếu này.", en: "The ticket's QR code (pass) is needed to read or rate this ticket."
    )
    static let ticketPassWrong = APIError(
        .forbidden, code: "ticket_pass_wrong", field: "pass",
        vi: "Mã QR (pass) không phải của phiếu này.", en: "This QR code (pass) is not this ticket's."
    )

    static func qr(_ code: String, vi: String, en: String) -> APIError {
        APIError(.unprocessableContent, code: code, field: "qr", vi: vi, en: en)
    }

    init(_ refusal: QueueRefusal) {
        switch refusal {
        case .serviceNotFound:
            self = .invalid("serviceId", vi: "Không có dịch vụ này.", en: "There is no such service.")
        case .ticketNotFound:
            self = .notFound(LocalizedText(vi: "số thứ tự", en: "ticket"))
        case .counterNotFound:
            self = .notFound(LocalizedText(vi: "quầy", en: "counter"))
        case .counterClosed:
            self.init(.conflict, code: "counter_closed", vi: "Quầy đang đóng; hãy mở quầy trước khi gọi số.", en: "The counter is closed; open it before calling.")
        case .wrongState(let status):
            self.init(.conflict, code: "ticket_\(status.rawValue)", field: "id",
                      vi: "Số này đang ở trạng thái \(status.rawValue), không thực hiện được thao tác này.",
                      en: "This ticket is \(status.rawValue); that action does not apply.")
        case .alreadyRated:
            self.init(.conflict, code: "already_rated", vi: "Số này đã được đánh giá.", en: "This ticket has been rated already.")
        }
    }

    init(_ error: CheckInError, timeZone: TimeZone) {
        switch error {
        case .bookingNotFound:
            self = .bookingNotFound
        case .bookingNotActive(let status):
            self.init(.conflict, code: status == .checkedIn ? "already_checked_in" : "booking_not_active", field: "bookingCode",
                      vi: status == .checkedIn ? "Lịch hẹn này đã được xác nhận đến rồi." : "Lịch hẹn này không còn hiệu lực.",
                      en: status == .checkedIn ? "This booking has already been checked in." : "This booking is no longer active.")
        case .refused(.anotherDay):
            self.init(.conflict, code: "checkin_another_day", field: "bookingCode",
                      vi: "Lịch hẹn này không phải hôm nay.", en: "This booking is not for today.")
        case .refused(.tooLate(let minutes)):
            self.init(.conflict, code: "checkin_too_late", field: "bookingCode",
                      vi: "Bạn đến muộn \(minutes) phút, đã hết giờ xác nhận. Xin lấy số thường hoặc đặt lịch lại.",
                      en: "You are \(minutes) minutes late and check-in has closed. Please take an ordinary number or book again.")
        }
    }
}
