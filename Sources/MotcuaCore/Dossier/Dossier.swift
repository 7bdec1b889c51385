import Foundation

/// What the citizen chose at the last step.
public enum DossierSubmission: String, Sendable, Codable {
    /// Go to the counter now: the store issues a ticket of the procedure's service.
    case submitNow = "submit_now"
    /// Come back later: the kiosk books a slot of the procedure's service.
    case bookSlot = "book_slot"
}

/// The share of the e-form filled in automatically, the figure provincial plans ask to be
/// at least 20%: among the e-form fields asked and answered (filled), those whose answer
/// came from the chip ID card and was left as it came (autofilled). The applicant step is
/// not counted: it is not part of the e-form.
public struct AutofillShare: Sendable, Equatable, Codable {
    public let autofilled: Int
    public let filled: Int

    public init(autofilled: Int, filled: Int) {
        self.autofilled = autofilled
        self.filled = filled
    }

    /// `autofilled ÷ filled`; nil when nothing is filled.
    public var fraction: Double? {
        filled == 0 ? nil : Double(autofilled) / Double(filled)
    }
}

/// A prepared dossier: everything the receipt form (Giấy tiếp nhận hồ sơ và hẹn trả kết
/// quả) and the upstream sync need, made by `DossierWizard.finish`.
public struct Dossier: Sendable, Equatable, Codable {
    /// Mã hồ sơ.
    public let code: String
    public let draftCode: DraftCode
    public let procedureCode: String
    public let procedureName: String
    public let agency: String
    /// Where a "submit now" ticket is issued, or a slot booked.
    public let serviceId: String
    public let applicant: Applicant
    /// Answers of the fields asked, normalised, by field id.
    public let answers: [String: String]
    /// Thành phần hồ sơ: the checklist as it stood, in the procedure's order.
    public let documents: [Procedure.Document]
    /// Names of the documents the citizen ticked as brought; nil on dossiers saved before
    /// the ticks were kept.
    public let tickedDocuments: [String]?
    public let fees: [Procedure.Fee]
    public let processingDays: Int
    public let resultDelivery: Procedure.ResultDelivery
    public let submission: DossierSubmission
    public let preparedAt: Date
    /// Ngày hẹn trả for a dossier submitted now. Nil for a booked one: it depends on the
    /// slot; `Procedure.dueDate(receivedAt:calendar:timeZone:)` gives it then.
    public let expectedReturnDate: LocalDate?
    public let autofill: AutofillShare
}

extension Dossier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Dossier(\(code), \(procedureCode))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["code": code, "procedureCode": procedureCode], displayStyle: .struct)
    }
}

extension Dossier {
    /// The dossier once its retention has passed or its applicant asked to be erased: what
    /// was done stays (procedure, checklist, fees, dates, figures), who it was and what they
    /// wrote in the e-form go.
    public func erasingPersonalData() -> Dossier {
        Dossier(
            code: code, draftCode: draftCode, procedureCode: procedureCode, procedureName: procedureName, agency: agency,
            serviceId: serviceId,
            applicant: Applicant(
                citizen: Citizen(fullName: "", idNumber: "", phone: ""), address: nil, birthDate: nil, gender: nil, fromIdentityCard: false
            ),
            answers: [:], documents: documents, tickedDocuments: tickedDocuments, fees: fees, processingDays: processingDays,
            resultDelivery: resultDelivery, submission: submission, preparedAt: preparedAt, expectedReturnDate: expectedReturnDate,
            autofill: autofill
        )
    }
}
