/// The papers Motcua prints, each with the fields its layout may use: the app supplies
/// exactly these, so a layout naming anything else is refused when it is loaded.
public enum PrintedForm: String, Sendable, CaseIterable {
    /// Queue ticket from the kiosk (phiếu số thứ tự).
    case ticket
    /// Booking confirmation for a submission or clinic slot.
    case booking
    /// Checklist slip from the dossier wizard: the documents to bring for a procedure.
    case checklist
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    case receipt
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    case supplement
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    case refusal

    public enum FieldKind: Sendable, Equatable {
        case text
        /// Repeated by a list block; `items` are the fields of each item.
        case list(items: Set<String>)
    }

    public var fields: [String: FieldKind] {
        switch self {
        case .ticket:
            Self.texts("centreName", "serviceName", "ticketNumber", "issuedAt", "peopleAhead", "estimatedWait", "pass")
        case .booking:
            Self.texts(
                "centreName", "centreAddress", "bookingCode", "serviceName", "appointmentDate", "appointmentTime",
                "citizenName", "pass")
        case .checklist:
            Self.texts("centreName", "procedureName", "procedureCode", "processingDays", "fees", "dossierCode", "pass")
                .merging(["documents": Self.submittedDocuments]) { $1 }
        case .receipt:
            Self.oneStopForm.merging(
                Self.texts(
                    "dossierSets", "processingDays", "receivedAt", "returnAt", "returnMethod", "fees",
                    "registerBook", "registerNumber", "lookupCode", "statusUrl")
            ) { $1 }
            .merging(["documents": Self.submittedDocuments]) { $1 }
        case .supplement:
            Self.oneStopForm.merging(Self.texts("receivedAt", "reason", "officerPhone")) { $1 }
                .merging(["documents": .list(items: ["name", "note"])]) { $1 }
        case .refusal:
            Self.oneStopForm.merging(Self.texts("reason")) { $1 }
        }
    }

    /// What every form of the one-stop set carries: the agency heading, place and date, the
    /// dossier and its applicant, the officer who signs.
    private static let oneStopForm = texts(
        "agencyName", "receivingUnit", "place", "date", "dossierCode", "procedureName",
        "applicantName", "applicantId", "address", "phone", "email", "officerName")

    /// A dossier component and how many originals (bản chính) and copies (bản sao) are handed in.
    private static let submittedDocuments = FieldKind.list(items: ["name", "originals", "copies"])

    private static func texts(_ names: String...) -> [String: FieldKind] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, .text) })
    }
}
