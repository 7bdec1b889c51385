import Foundation

/// The applicant's data as entered at the applicant step; any part may be missing. A
/// request body carries only what changed: `nil` leaves the entered value as it was.
public struct ApplicantEntry: Sendable, Codable, Equatable {
    public var fullName: String?
    public var idNumber: String?
    public var phone: String?
    public var address: String?

    public init(fullName: String? = nil, idNumber: String? = nil, phone: String? = nil, address: String? = nil) {
        self.fullName = fullName
        self.idNumber = idNumber
        self.phone = phone
        self.address = address
    }

    /// `self` with every part `changes` carries.
    func merging(_ changes: ApplicantEntry) -> ApplicantEntry {
        ApplicantEntry(
            fullName: changes.fullName ?? fullName, idNumber: changes.idNumber ?? idNumber,
            phone: changes.phone ?? phone, address: changes.address ?? address
        )
    }
}

extension ApplicantEntry: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ApplicantEntry(\(Redaction.mask))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The person submitting a dossier (người nộp hồ sơ), validated: what the receipt form
/// prints under "Tiếp nhận hồ sơ của", "Địa chỉ", "Số điện thoại". Personal data, so it
/// prints as a mask.
public struct Applicant: Sendable, Equatable, Codable {
    /// Name, ID number and phone, normalised as for a booking.
    public let citizen: Citizen
    /// NFC, white space collapsed; needed when the result is sent by post.
    public let address: String?
    /// From the chip ID card, when the applicant scanned theirs.
    public let birthDate: LocalDate?
    public let gender: PersonalIdNumber.Gender?
    /// Whether the applicant's identity was read from their chip ID card, not typed.
    public let fromIdentityCard: Bool

    /// Checks the entry as `Citizen.validate` does (errors name `applicant.fullName`,
    /// `.idNumber`, `.phone`) plus the address (`applicant.address`, optional), every
    /// problem at once. The card counts only if its ID number is the one entered.
    static func validate(_ entry: ApplicantEntry, card: IdentityCard?, referenceYear: Int) -> Result<Applicant, FieldErrors> {
        let citizen = Citizen.validate(
            CitizenInput(fullName: entry.fullName, idNumber: entry.idNumber, phone: entry.phone),
            referenceYear: referenceYear, fieldPrefix: "applicant"
        )
        let address = entry.address.map(normalisedAddress) ?? .success(nil)
        switch (citizen, address) {
        case (.success(let citizen), .success(let address)):
            let card = card.flatMap { $0.idNumber == citizen.idNumber ? $0 : nil }
            return .success(Applicant(
                citizen: citizen, address: address, birthDate: card?.birthDate, gender: card?.gender, fromIdentityCard: card != nil
            ))
        default:
            var errors = citizen.failure?.errors ?? []
            if case .failure(let rejection) = address { errors.append(FieldError(field: "applicant.address", rejection: rejection)) }
            return .failure(FieldErrors(errors: errors))
        }
    }

    /// Blank is no address.
    private static func normalisedAddress(_ raw: String) -> Result<String?, FieldRejection> {
        let address = VietnameseText.nfc(raw).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !address.isEmpty else { return .success(nil) }
        guard !address.unicodeScalars.contains(where: TextScalars.isHidden) else { return .failure(.addressCharacters) }
        guard address.count <= IdentityCard.maximumAddressLength else { return .failure(.addressTooLong) }
        return .success(address)
    }
}

extension Applicant: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Applicant(\(Redaction.mask))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Result {
    var failure: Failure? {
        guard case .failure(let failure) = self else { return nil }
        return failure
    }
}

extension FieldRejection {
    static let addressCharacters = FieldRejection(
        code: "address_characters",
        vi: "Địa chỉ có ký tự điều khiển hoặc ký tự ẩn; vui lòng nhập lại.",
        en: "The address contains control or invisible characters; please type it again.")
    static let addressTooLong = FieldRejection(
        code: "address_too_long",
        vi: "Địa chỉ không được dài quá \(IdentityCard.maximumAddressLength) ký tự.",
        en: "The address must be at most \(IdentityCard.maximumAddressLength) characters long.")
}
