/// A Vietnamese mobile number, stored in the national form `0` + 9 digits. Bookings are
/// confirmed and reminded by text message, so a landline will not do.
public enum MobilePhoneNumber {
    /// Prefixes (with the trunk zero) that mobile networks use since the 2018 change of
    /// 11-digit numbers to 10 digits, from the project's domain notes (DOMAIN.md, "Mobile
    /// phone numbers"). Add a prefix here when a network opens one.
    public static let mobilePrefixes: Set<String> = [
        "032", "033", "034", "035", "036", "037", "038", "039",
        "052", "055", "056", "058", "059",
        "070", "076", "077", "078", "079",
        "081", "082", "083", "084", "085", "086", "087", "088", "089",
        "090", "091", "092", "093", "094", "096", "097", "098", "099",
    ]

    static let countryCode = "84"
    static let nationalDigits = 9

    /// Accepts `0xxxxxxxxx`, `+84xxxxxxxxx` and `84xxxxxxxxx`, with spaces, dots, dashes or
    /// parentheses typed in, and the "+84 (0)…" habit of keeping the trunk zero.
    static func normalised(_ raw: String) -> Result<String, FieldRejection> {
        let typed = raw.filter { !$0.isWhitespace && !".-()".contains($0) }
        let international = typed.hasPrefix("+")
        let digits = international ? typed.dropFirst() : Substring(typed)
        guard digits.allSatisfy(\.isASCIIDigit) else { return .failure(.phoneFormat) }

        var national: Substring
        if digits.hasPrefix(countryCode) && (international || digits.count == 2 + nationalDigits) {
            national = digits.dropFirst(countryCode.count)
            if national.count == nationalDigits + 1 && national.hasPrefix("0") { national = national.dropFirst() }
        } else if !international && digits.hasPrefix("0") {
            national = digits.dropFirst()
        } else {
            return .failure(.phoneFormat)
        }
        // Landlines are longer (area code + 8 digits), so this comes before the length check:
        // the useful answer is "give a mobile number", not "wrong length".
        guard !national.hasPrefix("2") else { return .failure(.phoneLandline) }
        guard national.count == nationalDigits else { return .failure(.phoneFormat) }
        let phone = "0" + national
        guard mobilePrefixes.contains(String(phone.prefix(3))) else { return .failure(.phonePrefix) }
        return .success(phone)
    }
}

extension FieldRejection {
    static let phoneRequired = FieldRejection(
        code: "phone_required",
        vi: "Vui lòng nhập số điện thoại di động.",
        en: "Please enter your mobile phone number.")
    static let phoneFormat = FieldRejection(
        code: "phone_format",
        vi: "Số điện thoại phải gồm 10 chữ số bắt đầu bằng 0, hoặc +84 và 9 chữ số.",
        en: "The phone number must be 10 digits starting with 0, or +84 followed by 9 digits.")
    static let phoneLandline = FieldRejection(
        code: "phone_landline",
        vi: "Đây là số điện thoại cố định; vui lòng nhập số di động để chúng tôi gửi tin nhắn cho bạn.",
        en: "This is a landline number; please give a mobile number so we can text you.")
    static let phonePrefix = FieldRejection(
        code: "phone_prefix",
        vi: "Số điện thoại không có đầu số di động đang dùng tại Việt Nam; vui lòng kiểm tra lại.",
        en: "The phone number does not start with a current Vietnamese mobile prefix; please check the number.")
}
