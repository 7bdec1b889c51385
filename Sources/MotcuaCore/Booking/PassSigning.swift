import Crypto
import Foundation

/// Signs passes with the centre's private key, in the text of `PassFormat`.
public struct PassSigner: Sendable {
    public let keyId: String
    private let key: Curve25519.Signing.PrivateKey

    public init(key: Curve25519.Signing.PrivateKey, keyId: String) {
        self.key = key
        self.keyId = keyId
    }

    /// The half the sites hold, under `keyId`, in their `PassVerifier`.
    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }

    /// The pass must name this signer's key: a pass claiming another key would never verify.
    public func sign(_ pass: SignedPass) throws -> String {
        guard pass.keyId == keyId else { throw PassSigningError.keyIdMismatch }
        let signedPart = try PassFormat.signedPart(of: pass)
        let signature = try key.signature(for: Data(signedPart.utf8))
        return PassFormat.text(signedPart: signedPart, signature: signature)
    }
}

/// Why a scanned pass is refused; each case gets its own message at the kiosk.
public enum PassError: Error, Equatable, Sendable {
    /// Not a Motcua pass: another QR code, truncated, damaged, or a format version we
    /// do not read.
    case malformed
    /// Signed with a key this site does not hold (retired, or not yet distributed).
    case unknownKey
    /// Altered after signing, or signed by someone else under a known key id.
    case badSignature
    case notYetValid
    case expired
}

/// Checks passes offline against the centre's public keys. During a key rotation the site
/// holds the old and the new key, so passes from both verify until the old one is removed.
public struct PassVerifier: Sendable {
    private let keys: [String: Curve25519.Signing.PublicKey]

    public init(keys: [String: Curve25519.Signing.PublicKey]) {
        self.keys = keys
    }

    /// The time window is checked last: a forged pass is reported forged, never "expired".
    public func verify(_ text: String, now: Date) -> Result<SignedPass, PassError> {
        guard let parsed = PassFormat.parse(text) else { return .failure(.malformed) }
        guard let key = keys[parsed.pass.keyId] else { return .failure(.unknownKey) }
        guard key.isValidSignature(parsed.signature, for: Data(parsed.signedPart.utf8)) else {
            return .failure(.badSignature)
        }
        if now < parsed.pass.validFrom { return .failure(.notYetValid) }
        if now >= parsed.pass.validUntil { return .failure(.expired) }
        return .success(parsed.pass)
    }
}

public enum PassKeyError: Error, Equatable, Sendable {
    case notBase64
    /// Base64, but not the 32 bytes of a raw Ed25519 key.
    case notAKey
}

/// Pass keys as text: the raw 32-byte key in standard base64, the private key for a file
/// only the centre can read, the public keys for the sites' configuration.
public enum PassKeys {
    /// A new key pair from the system's secure random source (not an injected generator:
    /// a key must never come from a seeded one); the public half is its `publicKey`.
    public static func generate() -> Curve25519.Signing.PrivateKey {
        Curve25519.Signing.PrivateKey()
    }

    public static func text(of key: Curve25519.Signing.PrivateKey) -> String {
        key.rawRepresentation.base64EncodedString()
    }

    public static func text(of key: Curve25519.Signing.PublicKey) -> String {
        key.rawRepresentation.base64EncodedString()
    }

    public static func privateKey(text: String) throws(PassKeyError) -> Curve25519.Signing.PrivateKey {
        try key(text: text, Curve25519.Signing.PrivateKey.init(rawRepresentation:))
    }

    public static func publicKey(text: String) throws(PassKeyError) -> Curve25519.Signing.PublicKey {
        try key(text: text, Curve25519.Signing.PublicKey.init(rawRepresentation:))
    }

    private static let rawKeyByteCount = 32

    /// Surrounding white space is ignored: a key file usually ends with a newline.
    private static func key<Key>(text: String, _ makeKey: (Data) throws -> Key) throws(PassKeyError) -> Key {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .notBase64
        }
        guard raw.count == rawKeyByteCount, let key = try? makeKey(raw) else { throw .notAKey }
        return key
    }
}
