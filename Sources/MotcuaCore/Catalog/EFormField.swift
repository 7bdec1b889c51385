import Foundation

/// One question of a procedure's e-form (tờ khai điện tử). Answers are kept as text, in the
/// normal form `normalisedAnswer` gives them, keyed by `id`.
public struct EFormField: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Free text, NFC, white space collapsed.
        case text
        /// A calendar date, kept as `YYYY-MM-DD`; typed as that or as `dd/MM/yyyy`.
        case date
        /// A non-negative number, digits with at most one decimal separator (`.` or `,`,
        /// kept as `.`).
        case number
        /// One of `choices`, kept as the choice's `value`.
        case choice
        /// `yes` or `no`.
        case yesno
        /// A personal ID number (số định danh cá nhân), kept as its 12 digits.
        case idNumber
        /// A mobile phone number, kept in the national form `0xxxxxxxxx`.
        case phone
    }

    public struct Choice: Codable, Sendable, Equatable {
        /// What the answer holds and conditions compare with: short, ASCII, stable.
        public var value: String
        public var label: String
        public var labelEn: String

        package enum CodingKeys: String, CodingKey, CaseIterable {
            case value, label, labelEn
        }
    }

    /// Stable identifier, `[a-z][A-Za-z0-9]*`: the answer's key and, as `answers.<id>`, the
    /// field named by validation errors.
    public var id: String
    public var type: Kind
    /// Whether a blank answer is refused. Files may leave it out: fields are required unless
    /// they say `required: false`.
    public var required: Bool = true
    /// A regular expression the whole (normalised) answer must match; text and number only.
    public var pattern: String?
    public var choices: [Choice] = []
    public var label: String
    public var labelEn: String
    public var help: String?
    public var helpEn: String?
    /// The chip ID card item that fills this field when the applicant scans their card.
    public var source: IdentityCardField?
    /// The field is asked only while this holds; otherwise it is hidden, its answer kept but
    /// neither checked nor part of the dossier. It may only look at fields asked before it.
    public var askedWhen: AnswerCondition?

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case id, type, required, pattern, choices, label, labelEn, help, helpEn, source, askedWhen
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(Kind.self, forKey: .type)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? true
        pattern = try container.decodeIfPresent(String.self, forKey: .pattern)
        choices = try container.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        label = try container.decode(String.self, forKey: .label)
        labelEn = try container.decode(String.self, forKey: .labelEn)
        help = try container.decodeIfPresent(String.self, forKey: .help)
        helpEn = try container.decodeIfPresent(String.self, forKey: .helpEn)
        source = try container.decodeIfPresent(IdentityCardField.self, forKey: .source)
        askedWhen = try container.decodeIfPresent(AnswerCondition.self, forKey: .askedWhen)
    }

    init(
        id: String, type: Kind, required: Bool = true, pattern: String? = nil, choices: [Choice] = [],
        label: String, labelEn: String, help: String? = nil, helpEn: String? = nil,
        source: IdentityCardField? = nil, askedWhen: AnswerCondition? = nil
    ) {
        self.id = id
        self.type = type
        self.required = required
        self.pattern = pattern
        self.choices = choices
        self.label = label
        self.labelEn = labelEn
        self.help = help
        self.helpEn = helpEn
        self.source = source
        self.askedWhen = askedWhen
    }

    /// The longest text answer kept; longer text is refused, not cut.
    public static let maximumTextLength = 500

    /// The answer in its kept form, or why it is refused. A blank answer is `nil` (no answer)
    /// when the field is optional.
    ///
    /// - Parameter referenceYear: the current year at the site, for ID numbers.
    func normalisedAnswer(_ raw: String, referenceYear: Int) -> Result<String?, FieldRejection> {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return required ? .failure(.answerRequired) : .success(nil) }
        let value: Result<String, FieldRejection>
        switch type {
        case .text: value = Self.text(trimmed)
        case .date: value = Self.date(trimmed)
        case .number: value = Self.number(trimmed)
        case .choice:
            value = choices.contains { $0.value == trimmed } ? .success(trimmed) : .failure(.answerChoice)
        case .yesno:
            value = ["yes", "no"].contains(trimmed.lowercased()) ? .success(trimmed.lowercased()) : .failure(.answerYesNo)
        case .idNumber: value = PersonalIdNumber.normalised(trimmed, referenceYear: referenceYear)
        case .phone: value = MobilePhoneNumber.normalised(trimmed)
        }
        return value.flatMap { answer in
            guard let pattern else { return .success(answer) }
            return Self.matches(answer, pattern: pattern) ? .success(answer) : .failure(.answerPattern)
        }
    }

    /// Whether `pattern` is a regular expression this build can run; the catalog check uses it.
    static func compiles(pattern: String) -> Bool {
        (try? Regex(pattern)) != nil
    }

    private static func matches(_ answer: String, pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: answer)) != nil
    }

    private static func text(_ raw: String) -> Result<String, FieldRejection> {
        let text = VietnameseText.nfc(raw).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !text.unicodeScalars.contains(where: TextScalars.isHidden) else { return .failure(.answerCharacters) }
        guard text.count <= maximumTextLength else { return .failure(.answerTooLong) }
        return .success(text)
    }

    private static func date(_ raw: String) -> Result<String, FieldRejection> {
        if let date = LocalDate(iso: raw) { return .success(date.iso) }
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              let date = LocalDate(year: Int(parts[2])!, month: Int(parts[1])!, day: Int(parts[0])!) else {
            return .failure(.answerDate)
        }
        return .success(date.iso)
    }

    private static func number(_ raw: String) -> Result<String, FieldRejection> {
        let parts = raw.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "," }
        guard parts.count <= 2, parts.allSatisfy({ (1...15).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }) else {
            return .failure(.answerNumber)
        }
        return .success(parts.joined(separator: "."))
    }
}

/// What the chip ID card gives an e-form field (`source`).
public enum IdentityCardField: String, Codable, Sendable, CaseIterable {
    case fullName, idNumber, birthDate, gender, address

    /// The kind of e-form field the item can fill.
    public var fieldKind: EFormField.Kind {
        switch self {
        case .fullName, .address: .text
        case .idNumber: .idNumber
        case .birthDate: .date
        case .gender: .choice
        }
    }

    /// The card's item as an answer of `fieldKind`; gender answers `male` or `female`.
    func answer(from card: IdentityCard) -> String {
        switch self {
        case .fullName: card.fullName
        case .idNumber: card.idNumber
        case .birthDate: card.birthDate.iso
        case .gender: card.gender.rawValue
        case .address: card.address
        }
    }
}

/// A test on one e-form answer: holds when the answer of `field` is one of `values`. Written
/// in files as `{field: authorised, equals: "yes"}` or `{field: case, oneOf: [a, b]}`.
public struct AnswerCondition: Codable, Sendable, Equatable {
    public var field: String
    public var values: [String]

    public init(field: String, values: [String]) {
        self.field = field
        self.values = values
    }

    public init(field: String, equals value: String) {
        self.init(field: field, values: [value])
    }

    /// `answers` must hold only answers of fields that are asked: a hidden field's answer
    /// does not count.
    public func holds(for answers: [String: String]) -> Bool {
        answers[field].map(values.contains) ?? false
    }

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case field, equals, oneOf
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        switch (try container.decodeIfPresent(String.self, forKey: .equals), try container.decodeIfPresent([String].self, forKey: .oneOf)) {
        case (let value?, nil): values = [value]
        case (nil, let list?): values = list
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a condition needs exactly one of equals or oneOf"
            ))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        if values.count == 1 {
            try container.encode(values[0], forKey: .equals)
        } else {
            try container.encode(values, forKey: .oneOf)
        }
    }
}

/// Characters that have no place in a form answer or a scanned card: controls, invisible
/// format characters (bidirectional overrides, zero-width joiners), private-use and
/// unassigned code points, and U+FFFD, the mark of text that was not valid UTF-8.
enum TextScalars {
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .unassigned, .surrogate: true
        default: scalar == "\u{FFFD}"
        }
    }
}

extension FieldRejection {
    static let answerRequired = FieldRejection(
        code: "answer_required", vi: "vui lòng trả lời câu hỏi này.", en: "please answer this question.")
    static let answerChoice = FieldRejection(
        code: "answer_choice", vi: "vui lòng chọn một trong các phương án đưa ra.", en: "please pick one of the options offered.")
    static let answerYesNo = FieldRejection(
        code: "answer_yes_no", vi: "vui lòng chọn Có hoặc Không.", en: "please answer yes or no.")
    static let answerDate = FieldRejection(
        code: "answer_date",
        vi: "không phải ngày hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 03/02/2027.",
        en: "is not a valid date; write it as day/month/year, e.g. 03/02/2027.")
    static let answerNumber = FieldRejection(
        code: "answer_number",
        vi: "phải là một số, chỉ gồm chữ số (có thể có một dấu phẩy thập phân).",
        en: "must be a number: digits only, with at most one decimal separator.")
    static let answerPattern = FieldRejection(
        code: "answer_pattern",
        vi: "không đúng định dạng yêu cầu; xem hướng dẫn của câu hỏi.",
        en: "is not in the required format; see the question's help.")
    static let answerCharacters = FieldRejection(
        code: "answer_characters",
        vi: "có ký tự điều khiển hoặc ký tự ẩn; vui lòng nhập lại.",
        en: "contains control or invisible characters; please type it again.")
    static let answerTooLong = FieldRejection(
        code: "answer_too_long",
        vi: "không được dài quá \(EFormField.maximumTextLength) ký tự.",
        en: "must be at most \(EFormField.maximumTextLength) characters long.")
}
