/// The code that resumes a dossier draft (mã hồ sơ nháp), shown and printed as `K7MQ-3XHP`
/// so a citizen can continue at another kiosk or at home until the draft expires.
///
/// Same alphabet, length, grouping and typing rules as `BookingCode` (look-alikes left out,
/// any case, dashes and spaces ignored), so citizens learn one kind of code; a distinct type
/// so a draft code is never taken for a booking's.
public struct DraftCode: Hashable, Sendable, Codable, CustomStringConvertible {
    private let code: BookingCode

    private init(_ code: BookingCode) {
        self.code = code
    }

    /// A code as people type it; see `BookingCode.init(parsing:)`.
    public init?(parsing typed: String) {
        guard let code = BookingCode(parsing: typed) else { return nil }
        self.init(code)
    }

    /// Exactly the stored form; see `BookingCode.init(compact:)`.
    public init?(compact: String) {
        guard let code = BookingCode(compact: compact) else { return nil }
        self.init(code)
    }

    /// Uniform over all codes; the store retries on the rare collision.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> DraftCode {
        DraftCode(BookingCode.random(using: &generator))
    }

    public var compact: String { code.compact }
    public var description: String { code.description }

    public init(from decoder: any Decoder) throws {
        self.init(try BookingCode(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try code.encode(to: encoder)
    }
}
