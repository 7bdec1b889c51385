/// The personal ID number (số định danh cá nhân), the number on the chip ID card (CCCD).
///
/// Twelve digits, no check digit (Decree 137/2015/NĐ-CP, art. 13): `PPP G YY NNNNNN` —
/// province of birth registration, gender-and-century digit, last two digits of the birth
/// year, a serial.
public enum PersonalIdNumber {
    public enum Gender: String, Sendable, Codable {
        case male, female
    }

    public static let length = 12

    /// Codes of the provinces and centrally run cities where a birth can be registered:
    /// the annex of Circular 07/2016/TT-BCA (kept unchanged when Circular 59/2021/TT-BCA
    /// replaced it). These are the 63 provinces before the 2025 mergers; the merged
    /// provinces published no new codes and people keep their numbers, so every code here
    /// stays valid. Codes for Vietnamese born abroad (country codes) are not listed: those
    /// citizens are not expected at a kiosk booking; add them here if that changes.
    public static let provinceCodes: Set<String> = [
        "001", // Hà Nội
        "002", // Hà Giang
        "004", // Cao Bằng
        "006", // Bắc Kạn
        "008", // Tuyên Quang
        "010", // Lào Cai
        "011", // Điện Biên
        "012", // Lai Châu
        "014", // Sơn La
        "015", // Yên Bái
        "017", // Hòa Bình
        "019", // Thái Nguyên
        "020", // Lạng Sơn
        "022", // Quảng Ninh
        "024", // Bắc Giang
        "025", // Phú Thọ
        "026", // Vĩnh Phúc
        "027", // Bắc Ninh
        "030", // Hải Dương
        "031", // Hải Phòng
        "033", // Hưng Yên
        "034", // Thái Bình
        "035", // Hà Nam
        "036", // Nam Định
        "037", // Ninh Bình
        "038", // Thanh Hóa
        "040", // Nghệ An
        "042", // Hà Tĩnh
        "044", // Quảng Bình
        "045", // Quảng Trị
        "046", // Thừa Thiên Huế
        "048", // Đà Nẵng
        "049", // Quảng Nam
        "051", // Quảng Ngãi
        "052", // Bình Định
        "054", // Phú Yên
        "056", // Khánh Hòa
        "058", // Ninh Thuận
        "060", // Bình Thuận
        "062", // Kon Tum
        "064", // Gia Lai
        "066", // Đắk Lắk
        "067", // Đắk Nông
        "068", // Lâm Đồng
        "070", // Bình Phước
        "072", // Tây Ninh
        "074", // Bình Dương
        "075", // Đồng Nai
        "077", // Bà Rịa – Vũng Tàu
        "079", // Hồ Chí Minh City
        "080", // Long An
        "082", // Tiền Giang
        "083", // Bến Tre
        "084", // Trà Vinh
        "086", // Vĩnh Long
        "087", // Đồng Tháp
        "089", // An Giang
        "091", // Kiên Giang
        "092", // Cần Thơ
        "093", // Hậu Giang
        "094", // Sóc Trăng
        "095", // Bạc Liêu
        "096", // Cà Mau
    ]

    /// The birth year the number encodes, or nil if it is not 12 digits. The fourth digit
    /// counts centuries in pairs: 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, and so on.
    public static func birthYear(fromIdNumber idNumber: String) -> Int? {
        guard let digits = digits(of: idNumber) else { return nil }
        return 1900 + digits[3] / 2 * 100 + digits[4] * 10 + digits[5]
    }

    /// Even gender-and-century digits are men, odd ones women.
    public static func gender(fromIdNumber idNumber: String) -> Gender? {
        guard let digits = digits(of: idNumber) else { return nil }
        return digits[3].isMultiple(of: 2) ? .male : .female
    }

    /// Applicants are born in the 1900s or 2000s: gender-and-century digits 0–3.
    static let livingCenturyDigits = 0...3

    /// Accepts spaces or dots typed between the digits (people group long numbers as they
    /// copy them), then checks length, province, century and birth year in turn.
    static func normalised(_ raw: String, referenceYear: Int) -> Result<String, FieldRejection> {
        let idNumber = String(raw.filter { !$0.isWhitespace && $0 != "." })
        guard idNumber.allSatisfy(\.isASCIIDigit) else { return .failure(.idNumberCharacters) }
        guard let digits = digits(of: idNumber) else {
            return .failure(.idNumberLength(digitCount: idNumber.count))
        }
        guard provinceCodes.contains(String(idNumber.prefix(3))) else { return .failure(.idNumberProvince) }
        guard livingCenturyDigits.contains(digits[3]) else { return .failure(.idNumberCentury) }
        guard let year = birthYear(fromIdNumber: idNumber), year <= referenceYear else {
            return .failure(.idNumberBirthYear)
        }
        return .success(idNumber)
    }

    private static func digits(of idNumber: String) -> [Int]? {
        guard idNumber.count == length, idNumber.allSatisfy(\.isASCIIDigit) else { return nil }
        return idNumber.compactMap(\.wholeNumberValue)
    }
}

extension Character {
    /// 0–9 only: full-width and other scripts' digits are refused rather than converted.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

extension FieldRejection {
    static let idNumberRequired = FieldRejection(
        code: "id_number_required",
        vi: "Vui lòng nhập số định danh cá nhân (số trên thẻ căn cước).",
        en: "Please enter your personal ID number (the number on your chip ID card).")
    static let idNumberCharacters = FieldRejection(
        code: "id_number_characters",
        vi: "Số định danh cá nhân chỉ gồm chữ số.",
        en: "The personal ID number may contain only digits.")
    static func idNumberLength(digitCount: Int) -> FieldRejection {
        FieldRejection(
            code: "id_number_length",
            vi: "Số định danh cá nhân phải có đúng \(PersonalIdNumber.length) chữ số (đã nhập \(digitCount)).",
            en: "The personal ID number must have exactly \(PersonalIdNumber.length) digits (\(digitCount) given).")
    }
    static let idNumberProvince = FieldRejection(
        code: "id_number_province",
        vi: "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh, thành phố nào; vui lòng kiểm tra lại.",
        en: "The first three digits of the personal ID number are not a province or city code; please check the number.")
    static let idNumberCentury = FieldRejection(
        code: "id_number_century",
        vi: "Chữ số thứ tư của số định danh cá nhân (mã giới tính và thế kỷ sinh) phải từ 0 đến 3; vui lòng kiểm tra lại.",
        en: "The fourth digit of the personal ID number (gender and century of birth) must be 0 to 3; please check the number.")
    static let idNumberBirthYear = FieldRejection(
        code: "id_number_birth_year",
        vi: "Năm sinh trong số định danh cá nhân (chữ số thứ 4 đến 6) là năm trong tương lai; vui lòng kiểm tra lại.",
        en: "The birth year in the personal ID number (digits 4 to 6) is in the future; please check the number.")
}
