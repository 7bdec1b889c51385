import Foundation

/// What the QR code on a chip ID card (thẻ căn cước / căn cước công dân gắn chip) tells
/// about its holder: how a kiosk fills the applicant's e-form without typing.
///
/// Every value is personal data (Decree 13/2023/NĐ-CP), so the type prints, reflects and
/// dumps as a mask; read the properties explicitly where they are needed.
public struct IdentityCard: Sendable, Equatable, Codable {
    /// The 12-digit personal ID number.
    public let idNumber: String
    /// The old 9-digit identity card number (CMND), or 12 digits for the CMND of 2012–2015;
    /// nil when the card has none.
    public let oldIdNumber: String?
    /// NFC, white space collapsed, capitalisation as on the card.
    public let fullName: String
    public let birthDate: LocalDate
    public let gender: PersonalIdNumber.Gender
    /// Permanent address (nơi thường trú), NFC, white space collapsed.
    public let address: String
    public let issueDate: LocalDate

    /// A real payload is about 300 bytes (names are at most 100 characters, addresses rarely
    /// over 150); refusing anything much longer bounds the work hostile input can cause.
    public static let maximumPayloadBytes = 1024
    public static let maximumAddressLength = 300
    static let fieldCount = 7

    /// Reads the QR payload as a keyboard-wedge scanner types it: text, maybe followed by
    /// Enter. Reports every bad item at once when the payload has the right shape, else the
    /// first problem of the shape; never crashes, whatever the input.
    ///
    /// - Parameter today: the site's date; birth and issue dates may not be after it, and an
    ///   ID number may not encode a later birth year.
    public static func read(qr payload: String, today: LocalDate) -> Result<IdentityCard, FieldErrors> {
        guard payload.utf8.count <= maximumPayloadBytes else { return refused(.qrTooLong) }
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return refused(.qrEmpty) }
        guard !text.unicodeScalars.contains("\u{FFFD}") else { return refused(.qrNotUTF8) }
        guard !MisdecodedText.looksMisdecoded(text) else { return refused(.qrMisdecoded) }

        let items = text.split(separator: "|", omittingEmptySubsequences: false)
        if let hidden = items.firstIndex(where: { $0.unicodeScalars.contains(where: TextScalars.isHidden) }) {
            return refused(.qrHiddenCharacters(item: hidden))
        }
        guard items.count >= fieldCount else { return refused(.qrTruncated(found: items.count)) }
        guard items.count == fieldCount else { return refused(.qrFieldCount(found: items.count)) }
        return CardItems(items.map(String.init), today: today).card()
    }

    /// Reads the payload from raw bytes (a serial scanner, a camera decoder), refusing bytes
    /// that are not UTF-8 instead of replacing them.
    public static func read(qrBytes bytes: some Collection<UInt8>, today: LocalDate) -> Result<IdentityCard, FieldErrors> {
        guard bytes.count <= maximumPayloadBytes else { return refused(.qrTooLong) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return refused(.qrNotUTF8) }
        return read(qr: text, today: today)
    }

    /// A problem of the payload as a whole, reported on the request's `qr` field.
    private static func refused(_ rejection: FieldRejection) -> Result<IdentityCard, FieldErrors> {
        .failure(FieldErrors(field: "qr", rejection: rejection))
    }
}

extension IdentityCard: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "IdentityCard(\(Redaction.mask))" }
    public var debugDescription: String { description }
    /// No children, so `dump` and debuggers cannot walk into the stored values.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The seven items of a payload of the right shape, checked one by one and then against each
/// other: the ID number encodes the birth year and the gender, so a disagreement means a
/// misread code or a forged one.
private struct CardItems {
    enum Item: Int {
        case idNumber, oldIdNumber, fullName, birthDate, gender, address, issueDate

        var field: String {
            switch self {
            case .idNumber: "qr.idNumber"
            case .oldIdNumber: "qr.oldIdNumber"
            case .fullName: "qr.fullName"
            case .birthDate: "qr.birthDate"
            case .gender: "qr.gender"
            case .address: "qr.address"
            case .issueDate: "qr.issueDate"
            }
        }
    }

    let items: [String]
    let today: LocalDate
    private var errors: [FieldError] = []

    init(_ items: [String], today: LocalDate) {
        self.items = items
        self.today = today
    }

    consuming func card() -> Result<IdentityCard, FieldErrors> {
        let idNumber = check(.idNumber) { PersonalIdNumber.normalised($0, referenceYear: today.year) }
        let oldIdNumber = check(.oldIdNumber, Self.oldIdNumber)
        let fullName = check(.fullName) { FieldRejection.requiring($0, else: .fullNameRequired).flatMap(CitizenName.normalised) }
        let birthDate = check(.birthDate) { Self.date($0, item: .birthDate, notAfter: today) }
        let gender = check(.gender, Self.gender)
        let address = check(.address, Self.address)
        let issueDate = check(.issueDate) { Self.date($0, item: .issueDate, notAfter: today) }

        if let idNumber, let birthDate, PersonalIdNumber.birthYear(fromIdNumber: idNumber) != birthDate.year {
            errors.append(FieldError(field: Item.birthDate.field, rejection: .cardBirthYearMismatch))
        }
        if let idNumber, let gender, PersonalIdNumber.gender(fromIdNumber: idNumber) != gender {
            errors.append(FieldError(field: Item.gender.field, rejection: .cardGenderMismatch))
        }
        if let birthDate, let issueDate, issueDate < birthDate {
            errors.append(FieldError(field: Item.issueDate.field, rejection: .cardIssuedBeforeBirth))
        }
        guard errors.isEmpty, let idNumber, let oldIdNumber, let fullName, let birthDate, let gender, let address,
              let issueDate else {
            return .failure(FieldErrors(errors: errors))
        }
        return .success(IdentityCard(
            idNumber: idNumber, oldIdNumber: oldIdNumber.isEmpty ? nil : oldIdNumber, fullName: fullName,
            birthDate: birthDate, gender: gender, address: address, issueDate: issueDate
        ))
    }

    private mutating func check<Value>(_ item: Item, _ rule: (String) -> Result<Value, FieldRejection>) -> Value? {
        switch rule(items[item.rawValue]) {
        case .success(let value):
            return value
        case .failure(let rejection):
            errors.append(FieldError(field: item.field, rejection: rejection))
            return nil
        }
    }

    /// Empty, or the 9 digits of a CMND (12 for the CMND issued 2012–2015).
    private static func oldIdNumber(_ item: String) -> Result<String, FieldRejection> {
        item.isEmpty || ([9, 12].contains(item.count) && item.allSatisfy(\.isASCIIDigit))
            ? .success(item) : .failure(.cardOldIdNumber)
    }

    /// `ddMMyyyy`, as the card writes dates.
    private static func date(_ item: String, item kind: Item, notAfter today: LocalDate) -> Result<LocalDate, FieldRejection> {
        let digits = Array(item.utf8)
        guard digits.count == 8, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return .failure(.cardDate(kind)) }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        guard let date = LocalDate(year: number(4..<8), month: number(2..<4), day: number(0..<2)) else {
            return .failure(.cardDate(kind))
        }
        return date <= today ? .success(date) : .failure(.cardDateInFuture(kind))
    }

    /// "Nam" or "Nữ", in any case or normal form.
    private static func gender(_ item: String) -> Result<PersonalIdNumber.Gender, FieldRejection> {
        switch VietnameseText.nfc(item).lowercased() {
        case "nam": .success(.male)
        case "nữ": .success(.female)
        default: .failure(.cardGender)
        }
    }

    private static func address(_ item: String) -> Result<String, FieldRejection> {
        let address = VietnameseText.nfc(item).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !address.isEmpty else { return .failure(.cardAddressMissing) }
        guard address.count <= IdentityCard.maximumAddressLength else { return .failure(.cardAddressTooLong) }
        return .success(address)
    }
}

/// Recognises UTF-8 text that was decoded as Latin-1 or Windows-1252 on the way ("Nguyá»…n"
/// for "Nguyễn"): a scanner set to the wrong code page. Mapping each character back to the
/// byte those code pages give it shows a UTF-8 multi-byte sequence, which genuine Vietnamese
/// text never produces: its letters outside ASCII are not followed by characters in the
/// U+0080–U+00BF range.
enum MisdecodedText {
    static func looksMisdecoded(_ text: String) -> Bool {
        var expectedContinuations = 0
        for scalar in text.unicodeScalars {
            let byte = singleByte(scalar)
            if expectedContinuations > 0 {
                if let byte, (0x80...0xBF).contains(byte) {
                    expectedContinuations -= 1
                    if expectedContinuations == 0 { return true }
                    continue
                }
                expectedContinuations = 0
            }
            switch byte {
            case .some(0xC2...0xDF): expectedContinuations = 1
            case .some(0xE0...0xEF): expectedContinuations = 2
            case .some(0xF0...0xF4): expectedContinuations = 3
            default: break
            }
        }
        return false
    }

    /// The byte Latin-1 or Windows-1252 decodes to `scalar`, if any.
    private static func singleByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value < 0x100 ? UInt8(scalar.value) : windows1252[scalar]
    }

    /// The characters Windows-1252 puts at 0x80–0x9F, where Latin-1 has control codes.
    private static let windows1252: [Unicode.Scalar: UInt8] = [
        "\u{20AC}": 0x80, "\u{201A}": 0x82, "\u{0192}": 0x83, "\u{201E}": 0x84, "\u{2026}": 0x85, "\u{2020}": 0x86,
        "\u{2021}": 0x87, "\u{02C6}": 0x88, "\u{2030}": 0x89, "\u{0160}": 0x8A, "\u{2039}": 0x8B, "\u{0152}": 0x8C,
        "\u{017D}": 0x8E, "\u{2018}": 0x91, "\u{2019}": 0x92, "\u{201C}": 0x93, "\u{201D}": 0x94, "\u{2022}": 0x95,
        "\u{2013}": 0x96, "\u{2014}": 0x97, "\u{02DC}": 0x98, "\u{2122}": 0x99, "\u{0161}": 0x9A, "\u{203A}": 0x9B,
        "\u{0153}": 0x9C, "\u{017E}": 0x9E, "\u{0178}": 0x9F,
    ]
}

/// Messages name what is wrong and where, never the value read: it is personal data.
extension FieldRejection {
    private static let itemNames: [(vi: String, en: String)] = [
        ("số định danh cá nhân", "personal ID number"), ("số CMND cũ", "old ID number"), ("họ và tên", "full name"),
        ("ngày sinh", "birth date"), ("giới tính", "gender"), ("nơi thường trú", "permanent address"),
        ("ngày cấp", "issue date"),
    ]
    private static let layout = (
        vi: "số định danh|số CMND cũ|họ và tên|ngày sinh|giới tính|nơi thường trú|ngày cấp",
        en: "ID number|old ID number|full name|birth date|gender|address|issue date"
    )

    static let qrTooLong = FieldRejection(
        code: "qr_too_long",
        vi: "Mã QR quá dài (hơn \(IdentityCard.maximumPayloadBytes) byte): đây không phải mã QR trên thẻ căn cước.",
        en: "The QR code is too long (over \(IdentityCard.maximumPayloadBytes) bytes): it is not the QR code of a chip ID card.")
    static let qrEmpty = FieldRejection(
        code: "qr_empty",
        vi: "Không đọc được nội dung mã QR; vui lòng quét lại mặt sau thẻ căn cước.",
        en: "The QR code was empty; please scan the back of the ID card again.")
    static let qrNotUTF8 = FieldRejection(
        code: "qr_not_utf8",
        vi: "Nội dung mã QR không phải văn bản UTF-8 hợp lệ; vui lòng quét lại, nếu vẫn lỗi hãy báo cán bộ kiểm tra máy quét.",
        en: "The QR code did not read as valid UTF-8 text; please scan again, and ask staff to check the scanner if it happens again.")
    static let qrMisdecoded = FieldRejection(
        code: "qr_misdecoded",
        vi: "Máy quét gửi chữ có dấu sai bảng mã (ví dụ \"Ã\", \"á»\" thay cho chữ tiếng Việt); vui lòng báo cán bộ đặt máy quét về UTF-8.",
        en: "The scanner sent Vietnamese letters in the wrong character encoding (e.g. \"Ã\", \"á»\"); please ask staff to set the scanner to UTF-8.")
    static func qrHiddenCharacters(item: Int) -> FieldRejection {
        // Items past the seventh (a code with too many) have no name, only a number.
        let place = itemNames.indices.contains(item)
            ? (vi: "mục \(itemNames[item].vi) (mục thứ \(item + 1))", en: "the \(itemNames[item].en) (item \(item + 1))")
            : (vi: "mục thứ \(item + 1)", en: "item \(item + 1)")
        return FieldRejection(
            code: "qr_characters",
            vi: "Mã QR có ký tự điều khiển hoặc ký tự ẩn ở \(place.vi); vui lòng quét lại.",
            en: "The QR code has a control or invisible character in \(place.en); please scan again.")
    }
    static func qrTruncated(found: Int) -> FieldRejection {
        FieldRejection(
            code: "qr_truncated",
            vi: "Mã QR chỉ có \(found) trên \(IdentityCard.fieldCount) mục (\(layout.vi)), có vẻ bị đọc thiếu; vui lòng quét lại.",
            en: "The QR code has only \(found) of its \(IdentityCard.fieldCount) items (\(layout.en)); it looks cut off, please scan again.")
    }
    static func qrFieldCount(found: Int) -> FieldRejection {
        FieldRejection(
            code: "qr_field_count",
            vi: "Mã QR có \(found) mục, trong khi mã trên thẻ căn cước có đúng \(IdentityCard.fieldCount) mục (\(layout.vi)); có thể đã quét hai mã một lúc.",
            en: "The QR code has \(found) items where a chip ID card's has exactly \(IdentityCard.fieldCount) (\(layout.en)); two codes may have been read at once.")
    }
    static let cardOldIdNumber = FieldRejection(
        code: "old_id_number_format",
        vi: "Số CMND cũ trong mã QR phải để trống hoặc gồm 9 hay 12 chữ số.",
        en: "The old ID number in the QR code must be empty or 9 or 12 digits.")
    fileprivate static func cardDate(_ item: CardItems.Item) -> FieldRejection {
        let name = itemNames[item.rawValue]
        return FieldRejection(
            code: "card_date",
            vi: "\(name.vi.capitalisedFirst) trong mã QR không phải ngày hợp lệ viết dạng ngày tháng năm (8 chữ số, ví dụ 03021990).",
            en: "The \(name.en) in the QR code is not a valid date written as ddMMyyyy (8 digits, e.g. 03021990).")
    }
    fileprivate static func cardDateInFuture(_ item: CardItems.Item) -> FieldRejection {
        let name = itemNames[item.rawValue]
        return FieldRejection(
            code: "card_date_future",
            vi: "\(name.vi.capitalisedFirst) trong mã QR là một ngày trong tương lai; vui lòng quét lại.",
            en: "The \(name.en) in the QR code is in the future; please scan again.")
    }
    static let cardGender = FieldRejection(
        code: "card_gender",
        vi: "Giới tính trong mã QR phải là \"Nam\" hoặc \"Nữ\".",
        en: "The gender in the QR code must be \"Nam\" or \"Nữ\".")
    static let cardAddressMissing = FieldRejection(
        code: "card_address_required",
        vi: "Mã QR không có nơi thường trú.",
        en: "The QR code has no permanent address.")
    static let cardAddressTooLong = FieldRejection(
        code: "card_address_too_long",
        vi: "Nơi thường trú trong mã QR dài quá \(IdentityCard.maximumAddressLength) ký tự.",
        en: "The permanent address in the QR code is longer than \(IdentityCard.maximumAddressLength) characters.")
    static let cardBirthYearMismatch = FieldRejection(
        code: "card_birth_year_mismatch",
        vi: "Năm sinh trong mã QR không khớp với năm sinh mã hóa trong số định danh cá nhân; mã có thể bị đọc sai, vui lòng quét lại.",
        en: "The birth year in the QR code does not match the one encoded in the personal ID number; the code may be misread, please scan again.")
    static let cardGenderMismatch = FieldRejection(
        code: "card_gender_mismatch",
        vi: "Giới tính trong mã QR không khớp với giới tính mã hóa trong số định danh cá nhân; mã có thể bị đọc sai, vui lòng quét lại.",
        en: "The gender in the QR code does not match the one encoded in the personal ID number; the code may be misread, please scan again.")
    static let cardIssuedBeforeBirth = FieldRejection(
        code: "card_issued_before_birth",
        vi: "Ngày cấp trong mã QR trước ngày sinh; mã có thể bị đọc sai, vui lòng quét lại.",
        en: "The issue date in the QR code is before the birth date; the code may be misread, please scan again.")
}

private extension String {
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
