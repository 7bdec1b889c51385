import Foundation

/// The guided preparation of a dossier at a kiosk, as a state machine over `DossierDraft`:
/// procedure → applicant → e-form → documents → review → finish.
///
/// Each change belongs to one step and is refused at another (`wrong_step`), so the only
/// way past a step is `forward`, which checks that step's data; `back` goes to any earlier
/// step and keeps everything entered. Every change takes `now` (no clock is read here): a
/// draft idle for `idleLimit` or past its resume window refuses changes until `resume`.
/// Problems come back as `FieldErrors`, one per field, in Vietnamese and English.
public struct DossierWizard: Sendable {
    public let catalog: ProcedureCatalog
    public let calendar: WorkingCalendar
    /// The site's zone: dates on codes, ID checks and due dates are its local dates.
    public let timeZone: TimeZone
    /// The receiving agency's code (mã đơn vị) for dossier codes, e.g. `000.00.01.H22`.
    public let agencyCode: String
    public let codePattern: DossierCodePattern
    /// How long a kiosk draft may sit untouched before its personal data must go.
    public let idleLimit: TimeInterval
    /// How long after it starts a draft can be resumed by its code.
    public let resumeWindow: TimeInterval

    public init(
        catalog: ProcedureCatalog, calendar: WorkingCalendar = WorkingCalendar(), timeZone: TimeZone, agencyCode: String,
        codePattern: DossierCodePattern = .standard, idleLimit: TimeInterval = 120, resumeWindow: TimeInterval = 86_400
    ) {
        self.catalog = catalog
        self.calendar = calendar
        self.timeZone = timeZone
        self.agencyCode = agencyCode
        self.codePattern = codePattern
        self.idleLimit = idleLimit
        self.resumeWindow = resumeWindow
    }

    /// A new draft at the procedure step; the store picks an unused `code`.
    public func start(code: DraftCode, now: Date) -> DossierDraft {
        DossierDraft(code: code, now: now, resumableUntil: now.addingTimeInterval(resumeWindow))
    }

    /// The draft to go on with after a citizen typed its code: refused past the resume
    /// window; without its personal data if it sat idle for `idleLimit` (the citizen then
    /// scans their card again).
    public func resume(_ draft: DossierDraft, now: Date) throws(FieldErrors) -> DossierDraft {
        guard draft.isResumable(now: now) else { throw FieldErrors(field: "draftCode", rejection: .draftExpired) }
        var resumed = draft.isExpired(now: now, idleLimit: idleLimit) ? draft.purgedPersonalData() : draft
        resumed.lastActivity = now
        return resumed
    }

    // MARK: Changes, one step each

    /// Procedure step. Choosing another procedure than before clears the answers, ticks and
    /// result delivery (they belonged to the other form) and fills the new e-form from the
    /// ID card if one was read.
    public func chooseProcedure(_ code: String, in draft: inout DossierDraft, now: Date) throws(FieldErrors) {
        try begin(&draft, at: .procedure, now: now)
        guard let procedure = catalog.procedure(code: code) else { throw FieldErrors(field: "procedure", rejection: .procedureUnknown) }
        guard procedure.code != draft.procedureCode else { return }
        draft.procedureCode = procedure.code
        draft.answers = [:]
        draft.autofilled = []
        draft.tickedDocuments = []
        draft.resultDelivery = nil
        if let card = draft.identityCard { autofill(&draft, from: card, procedure: procedure) }
    }

    /// Applicant step: reads the chip ID card's QR code into the applicant (name, ID number,
    /// address; the phone stays as entered) and into the e-form fields with a `source`,
    /// except answers the citizen typed. Returns the card, for the screen to show.
    @discardableResult
    public func readIdentityCard(qr payload: String, in draft: inout DossierDraft, now: Date) throws(FieldErrors) -> IdentityCard {
        try begin(&draft, at: .applicant, now: now)
        let card = try IdentityCard.read(qr: payload, today: LocalDate(now, in: timeZone)).get()
        draft.identityCard = card
        draft.applicant = draft.applicant.merging(ApplicantEntry(fullName: card.fullName, idNumber: card.idNumber, address: card.address))
        autofill(&draft, from: card, procedure: try procedure(of: draft))
        return card
    }

    /// Applicant step: what the citizen typed (`nil` parts unchanged). Checked by `forward`.
    /// Typing another ID number than the card's means another person: the card and what
    /// it filled in are dropped.
    public func enterApplicant(_ changes: ApplicantEntry, in draft: inout DossierDraft, now: Date) throws(FieldErrors) {
        try begin(&draft, at: .applicant, now: now)
        draft.applicant = draft.applicant.merging(changes)
        if let card = draft.identityCard, let typed = changes.idNumber, typed.filter(\.isASCIIDigit) != card.idNumber {
            draft.identityCard = nil
            for id in draft.autofilled { draft.answers[id] = nil }
            draft.autofilled = []
        }
    }

    /// E-form step: answers by field id; a blank answer removes one. Kept normalised when
    /// valid and as typed otherwise, checked by `forward`. An answer the citizen changes is
    /// no longer counted as filled from the card. Unknown field ids are refused; the others
    /// are still taken.
    public func answer(_ changes: [String: String], in draft: inout DossierDraft, now: Date) throws(FieldErrors) {
        try begin(&draft, at: .eform, now: now)
        let procedure = try procedure(of: draft)
        let year = LocalDate(now, in: timeZone).year
        var errors: [FieldError] = []
        for field in procedure.eform {
            guard let raw = changes[field.id] else { continue }
            let typed = VietnameseText.nfc(raw.trimmingCharacters(in: .whitespacesAndNewlines))
            // Refused now, not at `forward`: nothing longer than an answer can be is kept in a draft.
            guard typed.count <= EFormField.maximumTextLength else {
                errors.append(field.error(.answerTooLong))
                continue
            }
            let value = typed.isEmpty ? nil : ((try? field.normalisedAnswer(typed, referenceYear: year).get()) ?? typed)
            if value != draft.answers[field.id] { draft.autofilled.remove(field.id) }
            draft.answers[field.id] = value
        }
        for id in changes.keys.sorted() where procedure.eformField(id) == nil {
            errors.append(FieldError(field: "answers.\(id)", rejection: .answerUnknownField))
        }
        if !errors.isEmpty { throw FieldErrors(errors: errors) }
    }

    /// Documents step: ticks or unticks the document at `index` of the procedure's
    /// documents, which must be on the checklist now.
    public func tickDocument(at index: Int, ticked: Bool, in draft: inout DossierDraft, now: Date) throws(FieldErrors) {
        try begin(&draft, at: .documents, now: now)
        guard let item = checklist(of: draft).first(where: { $0.index == index }) else {
            throw FieldErrors(field: "documents.\(index)", rejection: .documentNotListed)
        }
        if ticked {
            draft.tickedDocuments.insert(item.document.name)
        } else {
            draft.tickedDocuments.remove(item.document.name)
        }
    }

    /// Review step: how the result is received, one of the procedure's ways. Unchosen, the
    /// procedure's first way applies.
    public func chooseResultDelivery(_ delivery: Procedure.ResultDelivery, in draft: inout DossierDraft, now: Date) throws(FieldErrors) {
        try begin(&draft, at: .review, now: now)
        guard try procedure(of: draft).resultDelivery.contains(delivery) else {
            throw FieldErrors(field: "resultDelivery", rejection: .resultDeliveryUnavailable)
        }
        draft.resultDelivery = delivery
    }

    // MARK: Moving

    /// Checks the current step and moves to the next: the procedure must be in the catalog;
    /// the applicant valid; every asked e-form field valid (answers are then kept
    /// normalised); the documents step checks nothing (missing documents are for the last
    /// step to judge); review checks all of it again, since a resumed draft or a changed
    /// catalog may have moved things. Returns the new step.
    @discardableResult
    public func forward(_ draft: inout DossierDraft, now: Date) throws(FieldErrors) -> DossierStep {
        try begin(&draft, at: nil, now: now)
        let procedure = try procedure(of: draft)
        switch draft.step {
        case .procedure, .documents:
            break
        case .applicant:
            _ = try Applicant.validate(draft.applicant, card: draft.identityCard, referenceYear: LocalDate(now, in: timeZone).year).get()
        case .eform:
            draft.answers.merge(try validAnswers(draft, procedure: procedure, now: now).get()) { $1 }
        case .review:
            draft.resultDelivery = try content(of: draft, now: now).resultDelivery
        case .finish:
            throw FieldErrors(field: "step", rejection: .noNextStep)
        }
        // The next step this procedure has; a draft can sit at a step its procedure lost
        // since (the catalog changed while it waited), so search by order, not position.
        draft.step = Self.steps(of: procedure).first { $0 > draft.step } ?? .finish
        return draft.step
    }

    /// Back to `target` (by default the step before), keeping every answer and tick.
    @discardableResult
    public func back(_ draft: inout DossierDraft, to target: DossierStep? = nil, now: Date) throws(FieldErrors) -> DossierStep {
        try begin(&draft, at: nil, now: now)
        let steps = draft.procedureCode.flatMap(catalog.procedure(code:)).map(Self.steps) ?? DossierStep.allCases
        guard let previous = steps.last(where: { $0 < draft.step }) else {
            throw FieldErrors(field: "step", rejection: .noPreviousStep)
        }
        let destination = target ?? previous
        guard destination < draft.step, steps.contains(destination) else {
            throw FieldErrors(field: "step", rejection: .cannotGoBack)
        }
        draft.step = destination
        return destination
    }

    /// Last step: the dossier, with its code from the pattern and the store's `sequence`
    /// (from 1) for the day, and, when submitted now, its due date counted in working days
    /// from `now` with the procedure's reception cut-off. Submitting now needs every
    /// required document on the checklist ticked (each missing one is reported as
    /// `documents.<i>`); a booked dossier may still lack some, to bring on the day. The
    /// draft is left as it is: the store deletes it in the transaction that saves the
    /// dossier.
    public func finish(_ draft: DossierDraft, submission: DossierSubmission, sequence: Int, now: Date) throws(FieldErrors) -> Dossier {
        precondition(sequence >= 1, "dossier sequence numbers start at 1")
        try check(draft, at: .finish, now: now)
        let content = try content(of: draft, now: now)
        let procedure = content.procedure
        let checklist = procedure.checklist(answers: content.answers, ticked: draft.tickedDocuments)
        let missing = checklist.filter { $0.isRequired && !$0.ticked }
        if submission == .submitNow, !missing.isEmpty {
            throw FieldErrors(errors: missing.map { FieldError(field: "documents.\($0.index)", rejection: .documentMissing($0.document.name)) })
        }
        return Dossier(
            code: codePattern.code(agency: agencyCode, date: LocalDate(now, in: timeZone), procedure: procedure.code, sequence: sequence),
            draftCode: draft.code, procedureCode: procedure.code, procedureName: procedure.name, agency: procedure.agency,
            serviceId: procedure.serviceId, applicant: content.applicant, answers: content.answers,
            documents: checklist.map(\.document), tickedDocuments: checklist.filter(\.ticked).map(\.document.name), fees: procedure.fees, processingDays: procedure.processingDays,
            resultDelivery: content.resultDelivery, submission: submission, preparedAt: now,
            expectedReturnDate: submission == .submitNow ? procedure.dueDate(receivedAt: now, calendar: calendar, timeZone: timeZone) : nil,
            autofill: share(answers: content.answers, autofilled: draft.autofilled)
        )
    }

    // MARK: What the screens show

    /// The e-form fields asked now, in order (fields whose `askedWhen` fails are hidden).
    public func askedFields(of draft: DossierDraft) -> [EFormField] {
        draft.procedureCode.flatMap(catalog.procedure(code:))?.askedFields(answers: draft.answers).fields ?? []
    }

    /// The documents to bring given the answers so far, with the citizen's ticks.
    public func checklist(of draft: DossierDraft) -> [ChecklistItem] {
        guard let procedure = draft.procedureCode.flatMap(catalog.procedure(code:)) else { return [] }
        return procedure.checklist(answers: procedure.askedFields(answers: draft.answers).answers, ticked: draft.tickedDocuments)
    }

    /// How much of the e-form the ID card filled; see `AutofillShare`.
    public func autofillShare(of draft: DossierDraft) -> AutofillShare {
        let answers = draft.procedureCode.flatMap(catalog.procedure(code:))?.askedFields(answers: draft.answers).answers ?? [:]
        return share(answers: answers, autofilled: draft.autofilled)
    }

    // MARK: Rules

    /// The steps a procedure goes through: without an e-form there is no e-form step.
    public static func steps(of procedure: Procedure) -> [DossierStep] {
        procedure.eform.isEmpty ? DossierStep.allCases.filter { $0 != .eform } : DossierStep.allCases
    }

    /// Refuses a change to a draft that cannot take one now.
    private func check(_ draft: DossierDraft, at step: DossierStep?, now: Date) throws(FieldErrors) {
        guard draft.isResumable(now: now) else { throw FieldErrors(field: "draftCode", rejection: .draftExpired) }
        guard !draft.isExpired(now: now, idleLimit: idleLimit) else { throw FieldErrors(field: "draftCode", rejection: .draftIdle) }
        if let step, draft.step != step { throw FieldErrors(field: "step", rejection: .wrongStep(expected: step)) }
    }

    /// `check`, then records the activity.
    private func begin(_ draft: inout DossierDraft, at step: DossierStep?, now: Date) throws(FieldErrors) {
        try check(draft, at: step, now: now)
        draft.lastActivity = now
    }

    private func procedure(of draft: DossierDraft) throws(FieldErrors) -> Procedure {
        guard let code = draft.procedureCode else { throw FieldErrors(field: "procedure", rejection: .procedureRequired) }
        guard let procedure = catalog.procedure(code: code) else { throw FieldErrors(field: "procedure", rejection: .procedureUnknown) }
        return procedure
    }

    /// Fills the fields with a `source` that are unanswered or were filled by a card before.
    private func autofill(_ draft: inout DossierDraft, from card: IdentityCard, procedure: Procedure) {
        for field in procedure.eform {
            guard let source = field.source, draft.answers[field.id] == nil || draft.autofilled.contains(field.id) else { continue }
            draft.answers[field.id] = source.answer(from: card)
            draft.autofilled.insert(field.id)
        }
    }

    /// The asked fields' answers, normalised, or every asked field's problem.
    private func validAnswers(_ draft: DossierDraft, procedure: Procedure, now: Date) -> Result<[String: String], FieldErrors> {
        let year = LocalDate(now, in: timeZone).year
        let asked = procedure.askedFields(answers: draft.answers)
        var answers: [String: String] = [:]
        var errors: [FieldError] = []
        for field in asked.fields {
            switch field.normalisedAnswer(asked.answers[field.id] ?? "", referenceYear: year) {
            case .success(let value): answers[field.id] = value
            case .failure(let rejection): errors.append(field.error(rejection))
            }
        }
        return errors.isEmpty ? .success(answers) : .failure(FieldErrors(errors: errors))
    }

    /// Everything a dossier is made of, checked at once: the procedure, then the
    /// applicant's, the e-form's and the result delivery's problems together.
    private struct Content {
        let procedure: Procedure
        let applicant: Applicant
        let answers: [String: String]
        let resultDelivery: Procedure.ResultDelivery
    }

    private func content(of draft: DossierDraft, now: Date) throws(FieldErrors) -> Content {
        let procedure = try procedure(of: draft)
        let applicant = Applicant.validate(draft.applicant, card: draft.identityCard, referenceYear: LocalDate(now, in: timeZone).year)
        let answers = validAnswers(draft, procedure: procedure, now: now)
        let delivery = draft.resultDelivery ?? procedure.resultDelivery.first
        var errors = (applicant.failure?.errors ?? []) + (answers.failure?.errors ?? [])
        if delivery == nil || !procedure.resultDelivery.contains(delivery!) {
            errors.append(FieldError(field: "resultDelivery", rejection: .resultDeliveryUnavailable))
        } else if delivery == .post, (draft.applicant.address ?? "").allSatisfy(\.isWhitespace) {
            errors.append(FieldError(field: "applicant.address", rejection: .addressNeededForPost))
        }
        guard errors.isEmpty, case .success(let applicant) = applicant, case .success(let answers) = answers, let delivery else {
            throw FieldErrors(errors: errors)
        }
        return Content(procedure: procedure, applicant: applicant, answers: answers, resultDelivery: delivery)
    }

    private func share(answers: [String: String], autofilled: Set<String>) -> AutofillShare {
        AutofillShare(autofilled: answers.keys.filter(autofilled.contains).count, filled: answers.count)
    }
}

extension FieldErrors {
    /// One field's problem.
    init(field: String, rejection: FieldRejection) {
        self.init(errors: [FieldError(field: field, rejection: rejection)])
    }
}

extension EFormField {
    /// A rejection of this field's answer, reported on `answers.<id>` with the question's
    /// label in front, so the message says which question it is about.
    func error(_ rejection: FieldRejection) -> FieldError {
        FieldError(field: "answers.\(id)", code: rejection.code, vi: "\(label): \(rejection.vi)", en: "\(labelEn): \(rejection.en)")
    }
}

extension FieldRejection {
    private static let stepNames: [DossierStep: (vi: String, en: String)] = [
        .procedure: ("chọn thủ tục", "choose the procedure"), .applicant: ("người nộp hồ sơ", "applicant"),
        .eform: ("tờ khai", "e-form"), .documents: ("giấy tờ cần nộp", "documents"), .review: ("kiểm tra lại", "review"),
        .finish: ("hoàn tất", "finish"),
    ]

    static func wrongStep(expected: DossierStep) -> FieldRejection {
        let name = stepNames[expected]!
        return FieldRejection(
            code: "wrong_step",
            vi: "Thao tác này thuộc bước \"\(name.vi)\"; hồ sơ nháp đang ở bước khác.",
            en: "This belongs to the \"\(name.en)\" step; the draft is at another step.")
    }
    static let noNextStep = FieldRejection(
        code: "no_next_step",
        vi: "Đây là bước cuối: hãy chọn nộp ngay hoặc đặt lịch nộp.",
        en: "This is the last step: choose to submit now or to book a slot.")
    static let noPreviousStep = FieldRejection(
        code: "no_previous_step", vi: "Đây là bước đầu tiên.", en: "This is the first step.")
    static let cannotGoBack = FieldRejection(
        code: "cannot_go_back",
        vi: "Chỉ có thể quay lại một bước trước đó của thủ tục này.",
        en: "Only an earlier step of this procedure can be gone back to.")
    static let draftExpired = FieldRejection(
        code: "draft_expired",
        vi: "Mã hồ sơ nháp đã hết hạn; vui lòng bắt đầu lại.",
        en: "The draft code has expired; please start again.")
    static let draftIdle = FieldRejection(
        code: "draft_idle",
        vi: "Hồ sơ nháp đã tạm dừng vì lâu không thao tác và thông tin cá nhân đã được xóa; nhập mã hồ sơ nháp để tiếp tục.",
        en: "The draft was paused after a long pause and its personal data removed; enter the draft code to go on.")
    static let procedureRequired = FieldRejection(
        code: "procedure_required", vi: "Vui lòng chọn thủ tục.", en: "Please choose a procedure.")
    static let procedureUnknown = FieldRejection(
        code: "procedure_unknown",
        vi: "Thủ tục này không có trong danh mục của điểm tiếp nhận; vui lòng chọn lại.",
        en: "This procedure is not in this site's catalog; please choose again.")
    static let answerUnknownField = FieldRejection(
        code: "answer_unknown_field",
        vi: "Tờ khai của thủ tục này không có câu hỏi này.",
        en: "The procedure's e-form has no such question.")
    static let documentNotListed = FieldRejection(
        code: "document_not_listed",
        vi: "Giấy tờ này không có trong danh sách cần nộp của hồ sơ.",
        en: "This document is not on the dossier's checklist.")
    static func documentMissing(_ name: String) -> FieldRejection {
        FieldRejection(
            code: "document_missing",
            vi: "Chưa có giấy tờ: \(name). Hãy chuẩn bị đủ rồi nộp, hoặc đặt lịch nộp sau.",
            en: "Document not ticked as brought: \(name). Bring it before submitting, or book a slot instead.")
    }
    static let resultDeliveryUnavailable = FieldRejection(
        code: "result_delivery_unavailable",
        vi: "Thủ tục này không trả kết quả theo cách đã chọn.",
        en: "This procedure does not deliver results that way.")
    static let addressNeededForPost = FieldRejection(
        code: "address_required_for_post",
        vi: "Để nhận kết quả qua bưu điện, vui lòng nhập địa chỉ.",
        en: "To receive the result by post, please enter an address.")
}
