import Foundation
import Hummingbird
import MotcuaCore
import MotcuaPrint
import MotcuaStore

/// Dossier preparation at the kiosk (the wizard, step by step, on a saved draft), the
/// citizen's status look-up, and the counter's side: open, receive, ask for a supplement,
/// refuse, and print the matching form. Every change is one `DossierWizard` call inside one
/// store transaction; this controller only reads requests and shapes answers.
struct DossierController {
    let store: Store
    let clock: WallClock
    let siteTime: SiteTime
    let catalog: CatalogCache
    let calendar: CalendarCache
    let rules: BookingRules
    let printer: ReceiptPrinter
    let forms: DossierForms
    let ticketPasses: TicketPasses
    /// At a site, the centre's calendar, where a dossier's slot is booked; nil where this
    /// node's own store holds the slots.
    let centreCalendar: (any BookingCalendar)?
    let settings: Settings

    /// What the site's configuration says about dossiers.
    struct Settings: Sendable {
        let agencyCode: String
        let codePattern: DossierCodePattern
        let idleLimit: TimeInterval
        let resumeWindow: TimeInterval
    }

    /// The wizard over the catalog and calendar as they are now: a catalog or holiday
    /// change applies to the next step of every draft.
    var wizard: DossierWizard {
        DossierWizard(
            catalog: catalog.current.procedures, calendar: calendar.current, timeZone: siteTime.timeZone,
            agencyCode: settings.agencyCode, codePattern: settings.codePattern, idleLimit: settings.idleLimit,
            resumeWindow: settings.resumeWindow
        )
    }

    // MARK: Requests

    struct ProcedureChoice: Decodable { let procedureCode: String }
    struct CardScan: Decodable { let qr: String }
    struct Answers: Decodable { let answers: [String: String] }
    struct Tick: Decodable {
        let index: Int
        let ticked: Bool
    }
    struct DeliveryChoice: Decodable { let resultDelivery: Procedure.ResultDelivery }
    struct BackTo: Decodable { let step: DossierStep? }
    struct Finish: Decodable {
        let submission: DossierSubmission
        let priority: PriorityCategory?
        let slotId: Int64?
    }
    struct Supplement: Decodable {
        let reason: String?
        let documents: [CounterDecision.SupplementItem]?
        let printer: String?
    }
    struct Refusal: Decodable {
        let reason: String?
        let printer: String?
    }
    struct Receipt: Decodable { let printer: String? }

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("dossiers/drafts") { _, context in
            let draft = try await store.startDraft(wizard, now: clock.now) {
                var generator = SystemRandomNumberGenerator()
                return DraftCode.random(using: &generator)
            }
            context.logger.info("dossier draft started", metadata: ["draft": "\(draft.code)"])
            return JSONResponse(DraftView(draft, wizard: wizard, now: clock.now, siteTime: siteTime), status: .created)
        }
        group.get("dossiers/drafts/{code}") { _, context in
            guard let draft = try await store.draft(code: try draftCode(context)) else { throw APIError.draftNotFound }
            return JSONResponse(DraftView(draft, wizard: wizard, now: clock.now, siteTime: siteTime))
        }
        group.post("dossiers/drafts/{code}/resume") { _, context in
            try await change(context) { wizard, draft, now in draft = try wizard.resume(draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/procedure") { request, context in
            let body = try await request.decodeJSON(ProcedureChoice.self, context: context)
            return try await change(context) { wizard, draft, now in try wizard.chooseProcedure(body.procedureCode, in: &draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/identity-card") { request, context in
            let body = try await request.decodeJSON(CardScan.self, context: context)
            return try await change(context) { wizard, draft, now in try wizard.readIdentityCard(qr: body.qr, in: &draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/applicant") { request, context in
            let body = try await request.decodeJSON(ApplicantEntry.self, context: context)
            return try await change(context) { wizard, draft, now in try wizard.enterApplicant(body, in: &draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/answers") { request, context in
            let body = try await request.decodeJSON(Answers.self, context: context)
            return try await change(context) { wizard, draft, now in try wizard.answer(body.answers, in: &draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/documents") { request, context in
            let body = try await request.decodeJSON(Tick.self, context: context)
            return try await change(context) { wizard, draft, now in
                try wizard.tickDocument(at: body.index, ticked: body.ticked, in: &draft, now: now)
            }
        }
        group.post("dossiers/drafts/{code}/result-delivery") { request, context in
            let body = try await request.decodeJSON(DeliveryChoice.self, context: context)
            return try await change(context) { wizard, draft, now in try wizard.chooseResultDelivery(body.resultDelivery, in: &draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/forward") { _, context in
            try await change(context) { wizard, draft, now in try wizard.forward(&draft, now: now) }
        }
        group.post("dossiers/drafts/{code}/back") { request, context in
            let body = try await request.decodeJSON(BackTo.self, orIfEmpty: BackTo(step: nil), context: context)
            return try await change(context) { wizard, draft, now in try wizard.back(&draft, to: body.step, now: now) }
        }
        group.post("dossiers/drafts/{code}/finish", use: finish)
        group.get("dossiers/drafts/{code}/slip.pdf") { _, context in
            try printer.pdf(.checklist, try await draftSlip(context))
        }
        group.post("dossiers/drafts/{code}/print") { request, context in
            let code = try draftCode(context)
            return JSONResponse(try await printer.print(
                .checklist, try await draftSlip(context), document: "draft:\(code.compact)",
                kioskId: request.uri.queryParameters["kiosk"].map(String.init), language: context.language
            ))
        }
        group.get("dossiers/{code}/status") { _, context in
            JSONResponse(StatusView(try await dossier(context), siteTime: siteTime))
        }
        group.get("dossiers/{code}/slip.pdf") { _, context in
            try printer.pdf(.checklist, try forms.checklist(try await dossier(context)))
        }
        group.post("dossiers/{code}/print") { request, context in
            let record = try await dossier(context)
            return JSONResponse(try await printer.print(
                .checklist, try forms.checklist(record), document: "dossier:\(record.dossier.code)",
                kioskId: request.uri.queryParameters["kiosk"].map(String.init), language: context.language
            ))
        }
    }

    func addStaffRoutes(to group: RouterGroup<AppRequestContext>) {
        // Staff see the applicant in full: each read is in the personal-data access log.
        group.get("dossiers/{code}") { _, context in
            JSONResponse(DossierView(try await logged(try await dossier(context), context), siteTime: siteTime))
        }
        group.get("tickets/{id}/dossier") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let record = try await store.dossier(ticketId: id) else { throw APIError.dossierNotFound }
            return JSONResponse(DossierView(try await logged(record, context), siteTime: siteTime))
        }
        group.get("dossiers/{code}/form.pdf") { _, context in
            let record = try await logged(try await dossier(context), context)
            let form = forms.form(for: record)
            return try printer.pdf(form.kind, try form.values())
        }
        group.post("dossiers/{code}/receive") { request, context in
            let body = try await request.decodeJSON(Receipt.self, orIfEmpty: Receipt(printer: nil), context: context)
            let code = try dossierCode(context)
            let now = clock.now
            let current = try await dossier(context)
            // Counted from the counter's receipt, with the procedure's cut-off and the holidays
            // as they are today; a procedure since removed from the catalog keeps its days.
            let procedure = catalog.current.procedures.procedure(code: current.dossier.procedureCode)
            let due = procedure?.dueDate(receivedAt: now, calendar: calendar.current, timeZone: siteTime.timeZone)
                ?? calendar.current.dueDate(receivedAt: now, workingDays: current.dossier.processingDays, in: siteTime.timeZone, cutoff: nil)
            return try await decide(.receive(expectedReturnDate: due), code: code, printerId: body.printer, context: context)
        }
        group.post("dossiers/{code}/supplement") { request, context in
            let body = try await request.decodeJSON(Supplement.self, context: context)
            let decision = try CounterDecision.supplement(reason: body.reason, documents: body.documents ?? []).get(orThrow: APIError.init)
            return try await decide(decision, code: try dossierCode(context), printerId: body.printer, context: context)
        }
        group.post("dossiers/{code}/refuse") { request, context in
            let body = try await request.decodeJSON(Refusal.self, context: context)
            let decision = try CounterDecision.refusal(reason: body.reason).get(orThrow: APIError.init)
            return try await decide(decision, code: try dossierCode(context), printerId: body.printer, context: context)
        }
    }

    func addManagerRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("dossiers/statistics") { request, _ in
            let (from, to) = try siteTime.dateRange(request.uri.queryParameters)
            return JSONResponse(StatisticsView(try await store.dossierStatistics(from: from, to: to), from: from, to: to))
        }
    }

    // MARK: Steps

    /// One wizard change on the saved draft, answered with the draft as it now stands.
    private func change(
        _ context: AppRequestContext, _ body: @escaping @Sendable (DossierWizard, inout DossierDraft, Date) throws -> Void
    ) async throws -> JSONResponse<DraftView> {
        let code = try draftCode(context)
        let wizard = wizard
        let now = clock.now
        let draft = try await refusing { try await store.changeDraft(code: code) { draft in try body(wizard, &draft, now) }.draft }
        return JSONResponse(DraftView(draft, wizard: wizard, now: now, siteTime: siteTime))
    }

    @Sendable func finish(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<FinishedView> {
        let body = try await request.decodeJSON(Finish.self, context: context)
        let code = try draftCode(context)
        let now = clock.now
        let choice: DossierBooking?
        if body.submission == .bookSlot, let centreCalendar, let slotId = body.slotId {
            choice = .madeAtCentre(try await bookAtCentre(centreCalendar, slotId: slotId, draft: code, now: now, language: context.language))
        } else {
            choice = body.slotId.map { id in
                .slot(DossierSlotChoice(slotId: id, rules: rules))
            }
        }
        let finished: FinishedDossier
        do {
            finished = try await refusing {
                try await store.finishDossier(
                    draftCode: code, wizard: wizard, submission: body.submission, priority: body.priority, booking: choice, now: now
                )
            }
        } catch {
            if case .madeAtCentre(let booking)? = choice {
                await release(booking.code, at: centreCalendar, context)
            }
            throw error
        }
        context.logger.info("dossier prepared", metadata: [
            "dossier": "\(finished.record.dossier.code)", "procedure": "\(finished.record.dossier.procedureCode)",
            "submission": "\(body.submission.rawValue)",
        ])
        return JSONResponse(try FinishedView(finished, siteTime: siteTime, ticketPasses: ticketPasses), status: .created)
    }

    /// At a site the slot is the centre's: the applicant's place is booked there first, once
    /// the wizard's last checks pass on the draft here, so a draft that cannot finish never
    /// takes a place. The centre's refusals (full, duplicate) reach the kiosk as given.
    private func bookAtCentre(
        _ centre: any BookingCalendar, slotId: Int64, draft code: DraftCode, now: Date, language: Language
    ) async throws -> Booking {
        guard let draft = try await store.draft(code: code) else { throw APIError(DossierRefusal.draftNotFound) }
        let citizen = try await refusing { try wizard.finish(draft, submission: .bookSlot, sequence: 1, now: now) }.applicant.citizen
        let made = try await centre.book(slotId: slotId, citizen: citizen, siteId: nil, language: language)
        guard let bookingCode = BookingCode(parsing: made.code) else { throw APIError.calendarUnavailable }
        return Booking(
            code: bookingCode, slotId: made.slotId, serviceId: made.serviceId, start: try siteTime.instant(made.start),
            end: try siteTime.instant(made.end), citizen: citizen, status: made.status, createdAt: try siteTime.instant(made.createdAt),
            needsContact: made.needsContact, siteId: made.siteId
        )
    }

    /// The dossier was not made after all (the draft changed meanwhile, the disk failed): its
    /// place at the centre goes back. Should the centre not answer, the booking stands
    /// without a dossier and the log says which, so staff can cancel it.
    private func release(_ code: BookingCode, at centre: (any BookingCalendar)?, _ context: AppRequestContext) async {
        do {
            _ = try await centre?.cancel(code, language: context.language)
        } catch {
            context.logger.warning("a centre booking was left without its dossier", metadata: ["booking": "\(code)", "error": "\(error)"])
        }
    }

    /// Records the counter's decision, then prints its form when a printer is named. The
    /// decision stands whatever the printer does; the form can be printed again from its PDF.
    private func decide(
        _ decision: CounterDecision, code: String, printerId: String?, context: AppRequestContext
    ) async throws -> JSONResponse<DecisionView> {
        let officer = context.principal?.name ?? "?"
        // An unknown printer is refused before anything is decided: a retry must not meet a 409.
        let target = try printerId.map(printer.printer(id:))
        let record = try await refusing {
            try await store.decide(decision, dossier: code, officer: officer, now: clock.now, timeZone: siteTime.timeZone)
        }
        context.logger.info("dossier decided", metadata: ["dossier": "\(record.dossier.code)", "status": "\(record.status.rawValue)"])
        let form = forms.form(for: record)
        let outcome = try await target.asyncMap { target in
            try await printer.print(
                form.kind, try form.values(), document: "dossier:\(record.dossier.code):\(form.kind.rawValue)",
                on: target, language: context.language
            )
        }
        return JSONResponse(DecisionView(dossier: DossierView(record, siteTime: siteTime), print: outcome))
    }

    // MARK: Look-ups

    private func draftCode(_ context: AppRequestContext) throws -> DraftCode {
        let typed = try context.parameters.require("code")
        guard let code = DraftCode(parsing: typed.removingPercentEncoding ?? typed) else { throw APIError.draftNotFound }
        return code
    }

    private func dossierCode(_ context: AppRequestContext) throws -> String {
        let typed = try context.parameters.require("code")
        return typed.removingPercentEncoding ?? typed
    }

    private func logged(_ record: DossierRecord, _ context: AppRequestContext) async throws -> DossierRecord {
        try await store.logPersonalDataRead(subjects: ["dossier:\(record.dossier.code)"], actor: auditName(context), now: clock.now)
        return record
    }

    private func dossier(_ context: AppRequestContext) async throws -> DossierRecord {
        guard let record = try await store.dossier(code: try dossierCode(context)) else { throw APIError.dossierNotFound }
        return record
    }

    /// The checklist slip of a draft in progress, with its code to resume it by.
    private func draftSlip(_ context: AppRequestContext) async throws -> [String: LayoutValue] {
        guard let draft = try await store.draft(code: try draftCode(context)) else { throw APIError.draftNotFound }
        let wizard = wizard
        guard let procedure = draft.procedureCode.flatMap(wizard.catalog.procedure(code:)) else {
            throw APIError(FieldErrors(errors: [FieldError(
                field: "procedure", code: "procedure_required",
                vi: "Hãy chọn thủ tục trước khi in phiếu hướng dẫn.", en: "Choose a procedure before printing the checklist."
            )]))
        }
        return forms.checklist(procedure: procedure, documents: wizard.checklist(of: draft).map(\.document), code: draft.code.description)
    }

    /// Runs a store call, turning the refusals of the wizard, the queue and the calendar into
    /// their HTTP answers.
    private func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let errors as FieldErrors {
            throw APIError(errors)
        } catch let refusal as DossierRefusal {
            throw APIError(refusal)
        } catch let refusal as BookingRefusal {
            throw APIError(refusal)
        } catch let refusal as QueueRefusal {
            throw APIError(refusal)
        }
    }
}

extension Result where Failure == FieldErrors {
    /// The value, or the failure as the caller's error.
    func get<E: Error>(orThrow error: (FieldErrors) -> E) throws(E) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let failure): throw error(failure)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

extension APIError {
    static let draftNotFound = APIError(
        .notFound, code: "draft_not_found", field: "code",
        vi: "Không tìm thấy hồ sơ nháp với mã này (có thể đã hết hạn).", en: "No draft has this code (it may have expired)."
    )
    static let dossierNotFound = APIError(
        .notFound, code: "dossier_not_found", field: "code",
        vi: "Không tìm thấy hồ sơ với mã này.", en: "No dossier has this code."
    )

    init(_ refusal: DossierRefusal) {
        switch refusal {
        case .draftNotFound:
            self = .draftNotFound
        case .dossierNotFound:
            self = .dossierNotFound
        case .wrongStatus(let status):
            self.init(
                .conflict, code: "dossier_\(status.rawValue)", field: "code",
                vi: "Hồ sơ đang ở trạng thái \"\(status.vi)\"; không thực hiện được thao tác này.",
                en: "The dossier is \"\(status.en)\"; that action does not apply."
            )
        case .slotRequired:
            self.init(
                .unprocessableContent, code: "slot_required", field: "slotId",
                vi: "Hãy chọn khung giờ để đặt lịch nộp hồ sơ.", en: "Choose a slot to book the submission."
            )
        case .slotOfAnotherService:
            self.init(
                .unprocessableContent, code: "slot_of_another_service", field: "slotId",
                vi: "Khung giờ này không thuộc lĩnh vực tiếp nhận thủ tục đã chọn.",
                en: "This slot belongs to another service than the one receiving this procedure."
            )
        }
    }
}
