import Foundation

/// What a QR code proves: the centre issued this booking (later ticket, dossier) for this
/// site and service, valid in this window. Signed by the centre with Ed25519 so a site can
/// check it with the centre's public keys while the centre is unreachable.
public struct SignedPass: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case booking, ticket, dossier
    }

    public let kind: Kind
    /// The booking code, ticket or dossier number the pass stands for.
    public let code: String
    public let site: String
    public let serviceId: String
    /// The pass is valid from `validFrom` (included) to `validUntil` (excluded).
    public let validFrom: Date
    public let validUntil: Date
    /// The key that signs the pass, so keys can be rotated with an overlap.
    public let keyId: String

    /// The text form counts whole seconds: the window is widened to whole seconds here,
    /// never narrowed, so a pass reads back equal to the one that was signed.
    public init(
        kind: Kind, code: String, site: String, serviceId: String,
        validFrom: Date, validUntil: Date, keyId: String
    ) {
        self.kind = kind
        self.code = code
        self.site = site
        self.serviceId = serviceId
        self.validFrom = Date(timeIntervalSince1970: validFrom.timeIntervalSince1970.rounded(.down))
        self.validUntil = Date(timeIntervalSince1970: validUntil.timeIntervalSince1970.rounded(.up))
        self.keyId = keyId
    }
}

public enum PassSigningError: Error, Equatable, Sendable {
    /// The field cannot be written in a pass: empty, longer than 64 characters, a character
    /// outside `A–Z a–z 0–9 - _`, a time before 1970 or past 2286, or a window that ends
    /// before it starts (reported on `validUntil`).
    case unencodable(field: String)
    /// The pass names another key than the one signing it.
    case keyIdMismatch
}

/// The text of a signed pass: one line of ASCII without spaces, for a QR code in byte mode
/// and for a keyboard-wedge scanner that types it followed by Enter.
///
///     MC1.B.K7MQ3XHP.demo.A.1801234567.1801238167.k1.<signature>
///
/// Fields, separated by `.`: the format version `MC1`; the kind (`B` booking, `T` ticket,
/// `D` dossier); code; site; service id; `validFrom` and `validUntil` in Unix seconds
/// (decimal, no sign, no leading zero); key id; the Ed25519 signature (64 bytes in
/// base64url without padding, 86 characters). The signature covers the ASCII bytes of
/// everything before the last `.`, version included.
///
/// Text fields are 1–64 characters of the base64url alphabet `A–Z a–z 0–9 - _`, so they
/// never contain the separator, and a pass has exactly one text: parsing re-encodes what it
/// read and refuses any other spelling. The payload stays readable rather than base64
/// encoded: shorter by a third, and a scan can be read in a log. A typical booking pass is
/// 133 characters, a version 8 QR code at level M; the signature alone is 86.
enum PassFormat {
    static let version = "MC1"
    /// Far above any pass (at most 374 characters); longer input is refused before any work.
    static let maximumLength = 512

    struct Parsed {
        let pass: SignedPass
        let signedPart: String
        let signature: Data
    }

    private static let separator: Character = "."
    private static let fieldLengths = 1...64
    /// Ten decimal digits: up to the year 2286.
    private static let secondsRange: ClosedRange<TimeInterval> = 0...9_999_999_999
    private static let signatureByteCount = 64

    static func signedPart(of pass: SignedPass) throws(PassSigningError) -> String {
        let validFrom = try seconds(pass.validFrom, field: "validFrom")
        let validUntil = try seconds(pass.validUntil, field: "validUntil")
        guard validFrom < validUntil else { throw .unencodable(field: "validUntil") }
        return [
            version, tag(pass.kind),
            try text(pass.code, field: "code"),
            try text(pass.site, field: "site"),
            try text(pass.serviceId, field: "serviceId"),
            String(validFrom), String(validUntil),
            try text(pass.keyId, field: "keyId"),
        ].joined(separator: String(separator))
    }

    static func text(signedPart: String, signature: Data) -> String {
        signedPart + String(separator) + base64URL(signature)
    }

    /// The pass a text claims to be, not yet checked against any key; nil when the text is
    /// not a pass of this format. Surrounding white space (the scanner's Enter) is ignored.
    static func parse(_ text: String) -> Parsed? {
        guard text.utf8.count <= maximumLength else { return nil }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let lastSeparator = text.lastIndex(of: separator) else { return nil }
        let signedPart = String(text[..<lastSeparator])
        let fields = signedPart.split(separator: separator, omittingEmptySubsequences: false)
        guard fields.count == 8, fields[0] == version,
              let kind = SignedPass.Kind.allCases.first(where: { tag($0) == fields[1] }),
              let validFrom = Int64(fields[5]), let validUntil = Int64(fields[6]),
              let signature = signature(base64URL: text[text.index(after: lastSeparator)...])
        else { return nil }
        let pass = SignedPass(
            kind: kind, code: String(fields[2]), site: String(fields[3]), serviceId: String(fields[4]),
            validFrom: Date(timeIntervalSince1970: TimeInterval(validFrom)),
            validUntil: Date(timeIntervalSince1970: TimeInterval(validUntil)),
            keyId: String(fields[7])
        )
        // Re-encoding checks every field's alphabet and length and refuses other spellings
        // of the same pass ("+5", "007").
        guard (try? self.signedPart(of: pass)) == signedPart else { return nil }
        return Parsed(pass: pass, signedPart: signedPart, signature: signature)
    }

    private static func tag(_ kind: SignedPass.Kind) -> String {
        switch kind {
        case .booking: "B"
        case .ticket: "T"
        case .dossier: "D"
        }
    }

    private static func text(_ value: String, field: String) throws(PassSigningError) -> String {
        guard fieldLengths.contains(value.utf8.count), value.utf8.allSatisfy(isBase64URLByte) else {
            throw .unencodable(field: field)
        }
        return value
    }

    private static func seconds(_ date: Date, field: String) throws(PassSigningError) -> Int64 {
        let seconds = date.timeIntervalSince1970
        guard secondsRange.contains(seconds) else { throw .unencodable(field: field) }
        return Int64(seconds)
    }

    /// Byte by byte: every ticket and booking writes one, and Foundation's string replacing
    /// went through NSString three times.
    static func base64URL(_ data: Data) -> String {
        var bytes = Array(data.base64EncodedString().utf8)
        bytes.removeAll { $0 == UInt8(ascii: "=") }
        for index in bytes.indices {
            if bytes[index] == UInt8(ascii: "+") { bytes[index] = UInt8(ascii: "-") }
            if bytes[index] == UInt8(ascii: "/") { bytes[index] = UInt8(ascii: "_") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Strict: only the canonical spelling of exactly one signature, so a pass has one text.
    private static func signature(base64URL text: Substring) -> Data? {
        guard text.utf8.allSatisfy(isBase64URLByte) else { return nil }
        let padding = String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        let base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + padding
        guard let signature = Data(base64Encoded: base64), signature.count == signatureByteCount,
              base64URL(signature) == text
        else { return nil }
        return signature
    }

    static func isBase64URLByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

extension SignedPass {
    /// A booking's pass opens this long before its slot (the queue policy then decides what
    /// an early check-in means) and closes at the slot's end.
    public static let bookingOpensBefore: TimeInterval = 86_400

    public static func booking(
        code: BookingCode, site: String, serviceId: String, start: Date, end: Date, keyId: String
    ) -> SignedPass {
        SignedPass(
            kind: .booking, code: code.compact, site: site, serviceId: serviceId,
            validFrom: start.addingTimeInterval(-bookingOpensBefore), validUntil: end, keyId: keyId
        )
    }

    /// The booked slot's start, which a booking pass carries as its opening plus the lead:
    /// all a site needs to check in a booking the centre holds.
    public var bookedStart: Date {
        validFrom.addingTimeInterval(Self.bookingOpensBefore)
    }
}
