import Crypto
import Foundation

/// The QR code on a ticket: which ticket it is, and proof that this site printed it, so
/// scanning it at the kiosk shows the ticket's status and takes its rating, and nobody rates
/// a ticket by guessing its number.
///
///     MT1.demo.1234.q3Xv0dVb9kR2mZ8w
///
/// Fields, separated by `.`: the format version `MT1`; the site; the ticket id (decimal, no
/// sign, no leading zero); a 96-bit HMAC-SHA256 tag over everything before it, in base64url
/// (16 characters).
///
/// Why not a signed pass like a booking's: a ticket is only ever read by the site that issued
/// it, on the day it was issued, against its own database, so a key only that site holds is
/// enough, and an Ed25519 signature alone would be 86 characters. This text is about 35: a
/// version 3 QR code at level Q instead of version 10, which libqrencode makes five times
/// faster and a thermal printer prints with modules three times as large.
public struct TicketPass: Sendable, Equatable {
    public let site: String
    public let ticketId: Int64

    public init(site: String, ticketId: Int64) {
        self.site = site
        self.ticketId = ticketId
    }
}

public enum TicketPassError: Error, Equatable, Sendable {
    /// Not a ticket pass: another QR code, damaged, or a format version we do not read.
    case malformed
    /// The tag does not match: altered, made up, or made with a key this site no longer holds.
    case forged
}

/// The site's key for ticket passes, derived from its pass-signing key, so no other key has
/// to be kept and rotated: rotating the signing key rotates this one too (tickets of the
/// rotation day printed before it are then refused as forged and checked at a counter).
public struct TicketPassKey: Sendable {
    private let key: SymmetricKey

    public init(derivedFrom signingKey: Curve25519.Signing.PrivateKey) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: signingKey.rawRepresentation),
            info: Data("motcua ticket pass v1".utf8), outputByteCount: 32
        )
    }

    static let version = "MT1"
    private static let tagByteCount = 12
    private static let siteLengths = 1...64
    /// Far above any ticket pass; longer input is refused before any work.
    private static let maximumLength = 128

    /// A site id outside the pass alphabet cannot be written in a pass.
    public func text(of pass: TicketPass) throws(PassSigningError) -> String {
        let tagged = try Self.taggedPart(of: pass)
        return tagged + "." + tag(tagged)
    }

    /// Surrounding white space (the scanner's Enter) is ignored.
    public func verify(_ text: String) -> Result<TicketPass, TicketPassError> {
        guard text.utf8.count <= Self.maximumLength else { return .failure(.malformed) }
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 4, let ticketId = Int64(fields[2]) else { return .failure(.malformed) }
        let pass = TicketPass(site: String(fields[1]), ticketId: ticketId)
        // Re-encoding refuses other spellings of the same ticket ("+12", "012"), another
        // version and a site outside the alphabet.
        guard let tagged = try? Self.taggedPart(of: pass), tagged == fields[0...2].joined(separator: ".") else {
            return .failure(.malformed)
        }
        return Self.sameBytes(tag(tagged).utf8, fields[3].utf8) ? .success(pass) : .failure(.forged)
    }

    private static func taggedPart(of pass: TicketPass) throws(PassSigningError) -> String {
        guard siteLengths.contains(pass.site.utf8.count), pass.site.utf8.allSatisfy(PassFormat.isBase64URLByte) else {
            throw .unencodable(field: "site")
        }
        guard pass.ticketId >= 0 else { throw .unencodable(field: "ticketId") }
        return "\(version).\(pass.site).\(pass.ticketId)"
    }

    private func tag(_ tagged: String) -> String {
        PassFormat.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(tagged.utf8), using: key).prefix(Self.tagByteCount)))
    }

    /// Constant time over the tag, so its bytes cannot be found one at a time by timing.
    private static func sameBytes(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
