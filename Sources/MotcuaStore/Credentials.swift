import Crypto
import CryptoExtras
import Foundation

/// Secrets and how they are kept. Bearer tokens and session ids are 256-bit random values,
/// stored only as SHA-256 digests (their entropy makes a slow hash pointless). Passwords are
/// low-entropy, so they get PBKDF2-SHA256 with a per-user salt.
enum Credentials {
    static func newSecret(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64URLEncoded
    }

    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static let rounds = 210_000

    /// "pbkdf2-sha256$rounds$salt$key", so the cost can rise later without breaking old hashes.
    static func hashPassword(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let key = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(salt.base64URLEncoded)$\(key.base64URLEncoded)"
    }

    static func verifyPassword(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]),
              let salt = Data(base64URLEncoded: String(parts[2])),
              let expected = Data(base64URLEncoded: String(parts[3])),
              let key = try? derive(password, salt: salt, rounds: rounds)
        else { return false }
        return constantTimeEqual(key, expected)
    }

    /// Spends the same time as a real verification, so a login for an unknown user cannot
    /// be told apart from a wrong password by timing.
    static func verifyAgainstNothing(_ password: String) {
        _ = try? derive(password, salt: Data(count: 16), rounds: rounds)
    }

    private static func derive(_ password: String, salt: Data, rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds
        )
        return key.withUnsafeBytes { Data($0) }
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
