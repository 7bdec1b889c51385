/// What an officer decides at the counter about the dossier of the citizen in front of them.
public enum CounterDecision: Sendable, Equatable {
    /// Complete: received, with the return date counted from now (the receipt form).
    case receive(expectedReturnDate: LocalDate)
    /// Something is missing or wrong: what to bring back, and why (phiếu yêu cầu bổ sung).
    case supplement(reason: String, documents: [SupplementItem])
    /// The agency cannot take it, and why (phiếu từ chối tiếp nhận).
    case refuse(reason: String)

    public var status: DossierStatus {
        switch self {
        case .receive: .received
        case .supplement: .supplementRequested
        case .refuse: .refused
        }
    }

    /// A document the citizen must bring or redo, with what is wrong with it.
    public struct SupplementItem: Sendable, Equatable, Codable {
        public let name: String
        public let note: String

        public init(name: String, note: String) {
            self.name = name
            self.note = note
        }
    }

    public static let maximumReasonLength = 2_000
    public static let maximumItems = 30

    /// A supplement request from what the officer typed: a reason is required; each listed
    /// document needs a name. Text is kept NFC and trimmed; every problem is reported.
    public static func supplement(reason: String?, documents: [SupplementItem]) -> Result<CounterDecision, FieldErrors> {
        var errors: [FieldError] = []
        let reason = officerText(reason, field: "reason", required: true, errors: &errors)
        if documents.count > maximumItems {
            errors.append(FieldError(field: "documents", rejection: .tooManyItems))
        }
        var items: [SupplementItem] = []
        for (index, item) in documents.prefix(maximumItems).enumerated() {
            let name = officerText(item.name, field: "documents.\(index).name", required: true, errors: &errors)
            let note = officerText(item.note, field: "documents.\(index).note", required: false, errors: &errors)
            items.append(SupplementItem(name: name, note: note))
        }
        return errors.isEmpty ? .success(.supplement(reason: reason, documents: items)) : .failure(FieldErrors(errors: errors))
    }

    /// A refusal from what the officer typed: the reason is required (the form must say why).
    public static func refusal(reason: String?) -> Result<CounterDecision, FieldErrors> {
        var errors: [FieldError] = []
        let reason = officerText(reason, field: "reason", required: true, errors: &errors)
        return errors.isEmpty ? .success(.refuse(reason: reason)) : .failure(FieldErrors(errors: errors))
    }

    /// NFC and trimmed; line breaks are kept (a reason may be a list), other control and
    /// invisible characters are refused, as is text too long for the form.
    private static func officerText(_ raw: String?, field: String, required: Bool, errors: inout [FieldError]) -> String {
        let text = VietnameseText.nfc(raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty, required {
            errors.append(FieldError(field: field, rejection: .officerTextRequired))
        } else if text.count > maximumReasonLength {
            errors.append(FieldError(field: field, rejection: .officerTextTooLong))
        } else if text.unicodeScalars.contains(where: { $0 != "\n" && TextScalars.isHidden($0) }) {
            errors.append(FieldError(field: field, rejection: .officerTextCharacters))
        }
        return text
    }
}

extension FieldRejection {
    static let officerTextRequired = FieldRejection(
        code: "required", vi: "Vui lòng nhập nội dung này.", en: "Please fill this in.")
    static let officerTextTooLong = FieldRejection(
        code: "too_long",
        vi: "Không được dài quá \(CounterDecision.maximumReasonLength) ký tự.",
        en: "Must be at most \(CounterDecision.maximumReasonLength) characters long.")
    static let officerTextCharacters = FieldRejection(
        code: "invalid_characters",
        vi: "Có ký tự điều khiển hoặc ký tự ẩn; vui lòng nhập lại.",
        en: "Contains control or invisible characters; please type it again.")
    static let tooManyItems = FieldRejection(
        code: "too_many_items",
        vi: "Danh sách không được quá \(CounterDecision.maximumItems) giấy tờ.",
        en: "The list may hold at most \(CounterDecision.maximumItems) documents.")
}
