/// A document on a dossier's checklist, as the documents step shows it.
public struct ChecklistItem: Sendable, Equatable {
    /// Position in the procedure's `documents`: what a tick names.
    public let index: Int
    public let document: Procedure.Document
    public let ticked: Bool
    /// Whether the dossier needs it for sure: it has no condition, or its `requiredWhen`
    /// holds. A document with a condition only in words ("Trường hợp …", which the wizard
    /// cannot check) is listed as "if it applies to you" and does not hold up submitting.
    public var isRequired: Bool { Self.isRequired(document) }

    public static func isRequired(_ document: Procedure.Document) -> Bool {
        document.condition == nil || document.requiredWhen != nil
    }
}

extension Procedure {
    /// The e-form fields asked given `answers`, in order, and the answers that count: those
    /// of asked fields. A field hidden by its `askedWhen` keeps its answer in the draft, but
    /// the answer neither counts nor shows other fields or documents.
    func askedFields(answers: [String: String]) -> (fields: [EFormField], answers: [String: String]) {
        var asked: [EFormField] = []
        var counted: [String: String] = [:]
        // Conditions look only at fields asked before them, so one pass decides every field.
        for field in eform where field.askedWhen?.holds(for: counted) ?? true {
            asked.append(field)
            counted[field.id] = answers[field.id]
        }
        return (asked, counted)
    }

    /// The documents to bring given the counted `answers`: every document without a
    /// `requiredWhen`, and those whose condition holds.
    func checklist(answers: [String: String], ticked: Set<String>) -> [ChecklistItem] {
        documents.enumerated().compactMap { index, document in
            guard document.requiredWhen?.holds(for: answers) ?? true else { return nil }
            return ChecklistItem(index: index, document: document, ticked: ticked.contains(document.name))
        }
    }
}
