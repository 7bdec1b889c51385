/// The screens of dossier preparation at a kiosk, in order. The wizard moves one step at a
/// time, forward only when the current step's data is valid, back freely.
public enum DossierStep: String, Codable, Sendable, CaseIterable, Comparable {
    /// Choose the procedure (thủ tục).
    case procedure
    /// Who submits: scan the chip ID card or type name, ID number, phone, address.
    case applicant
    /// The procedure's e-form (tờ khai); skipped for procedures that have none.
    case eform
    /// The checklist of documents to bring, ticked by the citizen.
    case documents
    /// Everything on one screen, and how to receive the result.
    case review
    /// Submit now (a ticket for the receiving counter) or book a slot.
    case finish

    public static func < (lhs: DossierStep, rhs: DossierStep) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
