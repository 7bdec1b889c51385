/// The code of a booking: what the citizen reads aloud on the phone, types at a kiosk and
/// finds on the booking slip, grouped as `K7MQ-3XHP`.
///
/// Eight symbols from a 30-symbol alphabet: the digits 2–9 and the letters A–Z without
/// I, L, O and U. 0/O and 1/I/L are left out because they are mistaken for each other on
/// paper and on the phone, U because it is mistaken for V in handwriting. 30⁸ ≈ 6.6 × 10¹¹
/// codes (39.3 bits). A booking's code is its number under a secret permutation
/// (`BookingCodeCipher`), so a code cannot be guessed from another one; the check-in
/// endpoint must still limit attempts. Random codes (`random(using:)`) are for drafts, and
/// for bookings made before the permutation.
///
/// There is no check symbol: a mistyped code is almost never another booking's code, and
/// one more symbol to read and type costs every citizen.
public struct BookingCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public static let alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
    public static let length = 8

    /// The eight symbols without separator: the stored and wire form.
    public let compact: String

    private static let symbols = Array(alphabet.utf8)
    private static let radix = UInt64(symbols.count)
    /// Longer input is not a typed code; refusing it early bounds the work on hostile input.
    private static let longestTyped = 64

    /// The strict check: exactly eight symbols of the alphabet, upper case, no separator.
    /// Use it for codes we wrote ourselves (store, signed pass); people's input goes
    /// through `init?(parsing:)`.
    public init?(compact: String) {
        guard compact.utf8.count == Self.length, compact.utf8.allSatisfy(Self.symbols.contains) else {
            return nil
        }
        self.compact = compact
    }

    /// A code as people type it: any case, spaces and dashes anywhere.
    ///
    /// The left-out look-alikes (0, O, 1, I, L, U) are refused rather than read as the symbol
    /// they resemble: none of them has a single obvious twin in the alphabet, and a wrong
    /// guess would silently turn one citizen's code into another one instead of asking
    /// them to read it again.
    public init?(parsing typed: String) {
        guard typed.utf8.count <= Self.longestTyped else { return nil }
        var compact = String.UnicodeScalarView()
        for scalar in typed.unicodeScalars where !Self.isSeparator(scalar) {
            compact.append(Self.asciiUppercased(scalar))
        }
        self.init(compact: String(compact))
    }

    /// One uniform draw over all codes, then written in base 30, so every code and every
    /// symbol is equally likely: `random(in:using:)` rejects the draws that would make a
    /// plain modulo biased.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> BookingCode {
        BookingCode(number: UInt64.random(in: 0..<codeCount, using: &generator))
    }

    /// How many codes there are: 30⁸.
    public static let codeCount = (0..<length).reduce(UInt64(1)) { count, _ in count * UInt64(alphabet.utf8.count) }

    /// The code whose symbols write `number` (below `codeCount`) in base 30.
    public init(number: UInt64) {
        precondition(number < Self.codeCount, "a booking code's number is below 30⁸")
        var value = number
        var digits = [UInt8](repeating: 0, count: Self.length)
        for position in digits.indices.reversed() {
            digits[position] = Self.symbols[Int(value % Self.radix)]
            value /= Self.radix
        }
        compact = String(decoding: digits, as: UTF8.self)
    }

    /// The number the symbols write in base 30.
    public var number: UInt64 {
        compact.utf8.reduce(0) { value, symbol in value * Self.radix + UInt64(Self.symbols.firstIndex(of: symbol)!) }
    }

    /// The grouped display form, `K7MQ-3XHP`, as printed and shown.
    public var description: String {
        "\(compact.prefix(Self.length / 2))-\(compact.suffix(Self.length / 2))"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let code = BookingCode(compact: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a booking code")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(compact)
    }

    /// "-" and the dashes phones and word processors put in its place.
    private static let dashes: Set<Unicode.Scalar> = ["-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"]

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || dashes.contains(scalar)
    }

    /// Only ASCII letters change case: Unicode case mapping can change the length ("ß" → "SS").
    private static func asciiUppercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("a"..."z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value) - 0x20) : scalar
    }
}
