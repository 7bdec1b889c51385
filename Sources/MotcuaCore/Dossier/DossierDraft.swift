import Foundation

/// A dossier being prepared at a kiosk: where the citizen is in the wizard and everything
/// entered so far. Plain data, so the store can save it as it is and any kiosk (or the
/// citizen at home) can resume it by its code; only `DossierWizard` changes it.
///
/// Holds personal data (the applicant, the card, the answers), so it prints as its code,
/// step and procedure only, and `purgedPersonalData()` drops that data when the citizen
/// walks away.
public struct DossierDraft: Sendable, Equatable, Codable {
    public let code: DraftCode
    public internal(set) var step: DossierStep
    public internal(set) var procedureCode: String?
    public internal(set) var applicant: ApplicantEntry
    /// The chip ID card read at the applicant step; kept so that choosing another procedure
    /// fills its e-form from the card again.
    public internal(set) var identityCard: IdentityCard?
    /// E-form answers by field id: normalised when valid, as typed (NFC) otherwise, so a
    /// refused answer stays on screen to be corrected.
    public internal(set) var answers: [String: String]
    /// Fields whose answer came from the ID card and was not changed since.
    public internal(set) var autofilled: Set<String>
    /// Names of the documents the citizen ticked. A tick stays when its document leaves the
    /// checklist (its condition no longer holds) and shows again if it comes back.
    public internal(set) var tickedDocuments: Set<String>
    public internal(set) var resultDelivery: Procedure.ResultDelivery?
    public let startedAt: Date
    public internal(set) var lastActivity: Date
    /// After this the code no longer resumes the draft, and the store may delete it.
    public let resumableUntil: Date

    init(code: DraftCode, now: Date, resumableUntil: Date) {
        self.code = code
        step = .procedure
        applicant = ApplicantEntry()
        answers = [:]
        autofilled = []
        tickedDocuments = []
        startedAt = now
        lastActivity = now
        self.resumableUntil = resumableUntil
    }

    /// Whether the citizen has done nothing for `idleLimit` (they have probably left the
    /// kiosk): the draft must then lose its personal data before anyone goes on with it.
    public func isExpired(now: Date, idleLimit: TimeInterval) -> Bool {
        now.timeIntervalSince(lastActivity) >= idleLimit
    }

    public func isResumable(now: Date) -> Bool {
        now < resumableUntil
    }

    /// The draft without personal data: no applicant, card, answers or autofill marks. The
    /// code, step, procedure, ticks and result delivery stay (they say nothing about the
    /// person), so a resumed draft opens where it was and asks for the person again;
    /// moving forward from there checks every earlier step anew.
    public func purgedPersonalData() -> DossierDraft {
        var purged = self
        purged.applicant = ApplicantEntry()
        purged.identityCard = nil
        purged.answers = [:]
        purged.autofilled = []
        return purged
    }
}

extension DossierDraft: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "DossierDraft(\(code), \(step.rawValue), \(procedureCode ?? "no procedure"))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["code": code, "step": step, "procedureCode": procedureCode as Any], displayStyle: .struct)
    }
}
