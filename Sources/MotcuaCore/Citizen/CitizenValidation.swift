import Foundation

/// The personal data a citizen gives when booking, validated and normalised: the full name
/// is NFC with single spaces, the ID number is 12 digits, the phone is a mobile number in
/// the national form `0xxxxxxxxx`. Only `validate` (or decoding what was stored) makes one.
///
/// Every value is personal data (Decree 13/2023/NĐ-CP), so the type prints, reflects and
/// dumps as a mask; read the properties explicitly where they are needed.
public struct Citizen: Sendable, Equatable, Codable {
    /// As the citizen typed it, normalised to NFC with white space trimmed and collapsed.
    /// Capitalisation is kept: no rule gets every name right (title-casing turns "H'Hen"
    /// into "H'hen"), and the citizen knows their own name best.
    public let fullName: String
    public let idNumber: String
    public let phone: String

    /// For the store, which reads back citizens it validated when they were saved.
    package init(fullName: String, idNumber: String, phone: String) {
        self.fullName = fullName
        self.idNumber = idNumber
        self.phone = phone
    }

    /// Checks every field and reports every field's problem at once (at most one per field,
    /// the first rule it breaks), so a form can mark all of them in one round trip.
    ///
    /// - Parameters:
    ///   - referenceYear: the current year at the site; an ID number may not encode a birth
    ///     year after it. Passed in so validation reads no clock.
    ///   - fieldPrefix: where the citizen sits in the request body; errors name
    ///     `"\(fieldPrefix).fullName"`, `.idNumber` and `.phone`.
    public static func validate(
        _ input: CitizenInput, referenceYear: Int, fieldPrefix: String = "citizen"
    ) -> Result<Citizen, FieldErrors> {
        let fullName = FieldRejection.requiring(input.fullName, else: .fullNameRequired)
            .flatMap(CitizenName.normalised)
        let idNumber = FieldRejection.requiring(input.idNumber, else: .idNumberRequired)
            .flatMap { PersonalIdNumber.normalised($0, referenceYear: referenceYear) }
        let phone = FieldRejection.requiring(input.phone, else: .phoneRequired)
            .flatMap(MobilePhoneNumber.normalised)

        if case .success(let fullName) = fullName, case .success(let idNumber) = idNumber,
           case .success(let phone) = phone {
            return .success(Citizen(fullName: fullName, idNumber: idNumber, phone: phone))
        }
        let errors = [("fullName", fullName), ("idNumber", idNumber), ("phone", phone)]
            .compactMap { field, result -> FieldError? in
                guard case .failure(let rejection) = result else { return nil }
                return FieldError(field: "\(fieldPrefix).\(field)", rejection: rejection)
            }
        return .failure(FieldErrors(errors: errors))
    }
}

extension Citizen: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Citizen(\(Redaction.mask))" }
    public var debugDescription: String { description }
    /// No children, so `dump` and debuggers cannot walk into the stored values.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The citizen's data as it arrives in a request body; any field may be missing.
public struct CitizenInput: Sendable, Codable {
    public var fullName: String?
    public var idNumber: String?
    public var phone: String?

    public init(fullName: String? = nil, idNumber: String? = nil, phone: String? = nil) {
        self.fullName = fullName
        self.idNumber = idNumber
        self.phone = phone
    }
}

/// One field's problem, for the API's `{"error": {"code", "message", "field"}}` body.
/// Messages name the field and the rule broken and never repeat the value typed.
public struct FieldError: Error, Sendable, Equatable {
    /// Path in the request body, e.g. `citizen.idNumber`.
    public let field: String
    /// Machine-readable, stable: clients may branch on it (e.g. `id_number_province`).
    public let code: String
    public let vi: String
    public let en: String

    /// Public so other request parts (a slot id, a capacity) can report in the same shape.
    public init(field: String, code: String, vi: String, en: String) {
        self.field = field
        self.code = code
        self.vi = vi
        self.en = en
    }

    init(field: String, rejection: FieldRejection) {
        self.init(field: field, code: rejection.code, vi: rejection.vi, en: rejection.en)
    }
}

/// Every field error of one request, in field order. `validate` never fails with none.
public struct FieldErrors: Error, Sendable, Equatable {
    public let errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }
}

/// What a field rule says when it refuses a value; becomes a `FieldError` once the field's
/// path in the request is known.
struct FieldRejection: Error, Equatable {
    let code: String
    let vi: String
    let en: String

    /// The raw value, trimmed, or `missing` when it is absent or blank.
    static func requiring(_ raw: String?, else missing: FieldRejection) -> Result<String, FieldRejection> {
        let trimmed = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.isEmpty ? .failure(missing) : .success(trimmed)
    }
}

/// A full name as on the ID card: Latin letters with any Vietnamese (or minority-language)
/// marks, spaces, and the apostrophe and hyphen of names like "H'Hen Niê" or "Kơ-Sor".
/// One-word names exist, so only two letters are required.
enum CitizenName {
    static let maximumLength = 100
    static let minimumLetters = 2

    static func normalised(_ raw: String) -> Result<String, FieldRejection> {
        let name = VietnameseText.nfc(raw)
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
            .replacingOccurrences(of: "\u{2019}", with: "'")   // phones type ’ for '
        guard name.allSatisfy({ $0 == " " || $0 == "'" || $0 == "-" || isLetter($0) }) else {
            return .failure(.fullNameCharacters)
        }
        guard name.count(where: isLetter) >= minimumLetters else { return .failure(.fullNameTooShort) }
        guard name.count <= maximumLength else { return .failure(.fullNameTooLong) }
        return .success(name)
    }

    /// A Latin letter, possibly followed by combining marks that have no precomposed form
    /// (minority-language letters such as "ơ̆"). Other scripts, digits and symbols are not.
    private static func isLetter(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let base = scalars.first, isLatinLetter(base) else { return false }
        return scalars.dropFirst().allSatisfy { (0x0300...0x036F).contains($0.value) }
    }

    private static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter: break
        default: return false
        }
        // Basic Latin, Latin-1 Supplement, Extended-A and -B; Latin Extended Additional
        // holds the precomposed Vietnamese vowels with tone marks (ạ, ấ, ữ …).
        return (0x0041...0x024F).contains(scalar.value) || (0x1E00...0x1EFF).contains(scalar.value)
    }
}

extension FieldRejection {
    static let fullNameRequired = FieldRejection(
        code: "full_name_required",
        vi: "Vui lòng nhập họ và tên.",
        en: "Please enter your full name.")
    static let fullNameCharacters = FieldRejection(
        code: "full_name_characters",
        vi: "Họ và tên chỉ được gồm chữ cái, dấu cách, dấu nháy (') và dấu gạch nối (-); không được có chữ số hay ký hiệu.",
        en: "The full name may contain only letters, spaces, apostrophes (') and hyphens (-); no digits or symbols.")
    static let fullNameTooShort = FieldRejection(
        code: "full_name_too_short",
        vi: "Họ và tên phải có ít nhất \(CitizenName.minimumLetters) chữ cái.",
        en: "The full name must have at least \(CitizenName.minimumLetters) letters.")
    static let fullNameTooLong = FieldRejection(
        code: "full_name_too_long",
        vi: "Họ và tên không được dài quá \(CitizenName.maximumLength) ký tự.",
        en: "The full name must be at most \(CitizenName.maximumLength) characters long.")
}
