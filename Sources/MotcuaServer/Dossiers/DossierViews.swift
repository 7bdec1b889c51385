import Foundation
import MotcuaCore
import MotcuaPrint
import MotcuaStore

/// A draft as a kiosk screen needs it: the step, what was entered, and what the current
/// procedure asks (fields, checklist, delivery options). A draft left idle is shown without
/// its personal data, as it will be once the sweep has passed: the next person at the kiosk
/// never sees the last one's.
struct DraftView: Encodable, Sendable {
    struct ProcedureRef: Encodable, Sendable {
        let code: String
        let name: String
        let nameEn: String
        let serviceId: String
    }

    struct Item: Encodable, Sendable {
        let index: Int
        let name: String
        let originals: Int
        let copies: Int
        let condition: String?
        let required: Bool
        let ticked: Bool
    }

    let code: String
    let step: DossierStep
    let steps: [DossierStep]
    /// Untouched for longer than the idle limit: resume it (and enter the person again).
    let idle: Bool
    let lastActivity: String
    let resumableUntil: String
    let procedure: ProcedureRef?
    let applicant: ApplicantEntry
    let fromIdentityCard: Bool
    let answers: [String: String]
    let autofilled: [String]
    let fields: [EFormField]
    let checklist: [Item]
    let resultDelivery: Procedure.ResultDelivery?
    let resultDeliveryOptions: [Procedure.ResultDelivery]
    let autofill: AutofillView

    init(_ saved: DossierDraft, wizard: DossierWizard, now: Date, siteTime: SiteTime) {
        idle = saved.isExpired(now: now, idleLimit: wizard.idleLimit)
        let draft = idle ? saved.purgedPersonalData() : saved
        let procedure = draft.procedureCode.flatMap(wizard.catalog.procedure(code:))
        code = draft.code.description
        step = draft.step
        steps = procedure.map(DossierWizard.steps(of:)) ?? DossierStep.allCases
        lastActivity = siteTime.string(draft.lastActivity)
        resumableUntil = siteTime.string(draft.resumableUntil)
        self.procedure = procedure.map { ProcedureRef(code: $0.code, name: $0.name, nameEn: $0.nameEn, serviceId: $0.serviceId) }
        applicant = draft.applicant
        fromIdentityCard = draft.identityCard != nil
        answers = draft.answers
        autofilled = draft.autofilled.sorted()
        fields = wizard.askedFields(of: draft)
        checklist = wizard.checklist(of: draft).map {
            Item(
                index: $0.index, name: $0.document.name, originals: $0.document.originals, copies: $0.document.copies,
                condition: $0.document.condition, required: $0.isRequired, ticked: $0.ticked
            )
        }
        resultDelivery = draft.resultDelivery
        resultDeliveryOptions = procedure?.resultDelivery ?? []
        autofill = AutofillView(wizard.autofillShare(of: draft))
    }
}

struct AutofillView: Encodable, Sendable {
    let autofilled: Int
    let filled: Int
    /// autofilled ÷ filled, nil when nothing is filled.
    let share: Double?

    init(_ share: AutofillShare) {
        autofilled = share.autofilled
        filled = share.filled
        self.share = share.fraction
    }
}

/// What anyone holding the code may read: where the dossier stands, no personal data.
struct StatusView: Encodable, Sendable {
    let code: String
    let lookupCode: String
    let procedureCode: String
    let procedureName: String
    let status: DossierStatus
    let statusText: LocalizedText
    let preparedAt: String
    let receivedAt: String?
    let expectedReturnDate: LocalDate?

    init(_ record: DossierRecord, siteTime: SiteTime) {
        let dossier = record.dossier
        code = dossier.code
        lookupCode = dossier.draftCode.description
        procedureCode = dossier.procedureCode
        procedureName = dossier.procedureName
        status = record.status
        statusText = LocalizedText(vi: record.status.vi, en: record.status.en)
        preparedAt = siteTime.string(dossier.preparedAt)
        receivedAt = record.receivedAt.map(siteTime.string)
        expectedReturnDate = record.expectedReturnDate
    }
}

/// The whole dossier, for the officer at the counter.
struct DossierView: Encodable, Sendable {
    struct ApplicantView: Encodable, Sendable {
        let fullName: String
        let idNumber: String
        let phone: String
        let address: String?
        let birthDate: LocalDate?
        let gender: PersonalIdNumber.Gender?
        let fromIdentityCard: Bool
    }

    let status: StatusView
    let submission: DossierSubmission
    let serviceId: String
    let agency: String
    let applicant: ApplicantView
    let answers: [String: String]
    /// A document of the checklist, as the officer checks it against what the citizen brought.
    struct DocumentView: Encodable, Sendable {
        let document: Procedure.Document
        /// Needed for sure (no condition, or its condition holds on the answers).
        let required: Bool
        /// Ticked at the kiosk as brought; absent when the dossier predates ticks being kept.
        let ticked: Bool?

        func encode(to encoder: Encoder) throws {
            try document.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(required, forKey: .required)
            try container.encodeIfPresent(ticked, forKey: .ticked)
        }

        enum Keys: String, CodingKey {
            case required, ticked
        }
    }

    let documents: [DocumentView]
    let fees: [Procedure.Fee]
    let processingDays: Int
    let resultDelivery: Procedure.ResultDelivery
    let autofill: AutofillView
    let ticketId: Int64?
    let bookingCode: String?
    let registerNumber: Int?
    let officer: String?
    let reason: String?
    let supplementDocuments: [CounterDecision.SupplementItem]?

    init(_ record: DossierRecord, siteTime: SiteTime) {
        let dossier = record.dossier
        let applicant = dossier.applicant
        status = StatusView(record, siteTime: siteTime)
        submission = dossier.submission
        serviceId = dossier.serviceId
        agency = dossier.agency
        self.applicant = ApplicantView(
            fullName: applicant.citizen.fullName, idNumber: applicant.citizen.idNumber, phone: applicant.citizen.phone,
            address: applicant.address, birthDate: applicant.birthDate, gender: applicant.gender,
            fromIdentityCard: applicant.fromIdentityCard
        )
        answers = dossier.answers
        let ticked = dossier.tickedDocuments.map(Set.init)
        documents = dossier.documents.map { document in
            DocumentView(
                document: document, required: ChecklistItem.isRequired(document), ticked: ticked.map { $0.contains(document.name) }
            )
        }
        fees = dossier.fees
        processingDays = dossier.processingDays
        resultDelivery = dossier.resultDelivery
        autofill = AutofillView(dossier.autofill)
        ticketId = record.ticketId
        bookingCode = record.bookingCode?.description
        registerNumber = record.registerNumber
        officer = record.officer
        reason = record.decision?.reason
        supplementDocuments = record.status == .supplementRequested ? record.decision?.documents : nil
    }
}

/// The answer to finishing a draft: the dossier, and the ticket to print or the booking made.
struct FinishedView: Encodable, Sendable {
    struct TicketRef: Encodable, Sendable {
        let id: Int64
        let number: String
        let serviceId: String
        /// The ticket's QR: the kiosk reads the ticket with it.
        let qr: String
    }

    struct BookingRef: Encodable, Sendable {
        let code: String
        let slotId: Int64
        let start: String
        let end: String
    }

    let dossier: StatusView
    let autofill: AutofillView
    let ticket: TicketRef?
    let booking: BookingRef?

    init(_ finished: FinishedDossier, siteTime: SiteTime, ticketPasses: TicketPasses) throws {
        dossier = StatusView(finished.record, siteTime: siteTime)
        autofill = AutofillView(finished.record.dossier.autofill)
        ticket = try finished.ticket.map { TicketRef(id: $0.id, number: $0.number, serviceId: $0.serviceId, qr: try ticketPasses.text(for: $0.id)) }
        booking = finished.booking.map {
            BookingRef(code: $0.code.description, slotId: $0.slotId, start: siteTime.string($0.start), end: siteTime.string($0.end))
        }
    }
}

/// The counter's decision as recorded, with the print of its form when one was asked.
struct DecisionView: Encodable, Sendable {
    let dossier: DossierView
    let print: ReceiptPrinter.Outcome?
}

struct StatisticsView: Encodable, Sendable {
    let from: LocalDate
    let to: LocalDate
    let total: Int
    let byStatus: [String: Int]
    let autofill: AutofillView

    init(_ statistics: DossierStatistics, from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
        total = statistics.total
        byStatus = Dictionary(uniqueKeysWithValues: DossierStatus.allCases.map { ($0.rawValue, statistics.byStatus[$0] ?? 0) })
        autofill = AutofillView(statistics.autofill)
    }
}
