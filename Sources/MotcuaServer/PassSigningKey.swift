import Crypto
import Foundation
import Synchronization
import MotcuaCore

/// The Ed25519 key that signs booking QR codes, so a site can check them offline. Made on
/// first start and kept in a file only the service's user can read (mode 0600).
enum PassSigningKey {
    static let fileName = "pass-signing.ed25519"

    static func loadOrCreate(directory: String) throws -> (key: Curve25519.Signing.PrivateKey, keyId: String) {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
        let key: Curve25519.Signing.PrivateKey
        if let stored = FileManager.default.contents(atPath: url.path) {
            do {
                key = try PassKeys.privateKey(text: String(decoding: stored, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            } catch {
                throw ConfigurationError(key: "keys.path", value: url.path, source: "start-up", expected: "a base64 Ed25519 private key")
            }
        } else {
            key = PassKeys.generate()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(
                atPath: url.path, contents: Data(PassKeys.text(of: key).utf8), attributes: [.posixPermissions: 0o600]
            ) else {
                throw ConfigurationError(key: "keys.path", value: directory, source: "start-up", expected: "a writable directory")
            }
        }
        return (key, keyId(for: key.publicKey))
    }

    /// Short and stable: the first 8 hex digits of the public key's SHA-256.
    static func keyId(for publicKey: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: publicKey.rawRepresentation).prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}

/// The keys booking passes are checked with: this node's own and, at a site, the centre's,
/// which arrive with its configuration (a site checks a centre booking's QR offline).
final class TrustedKeys: Sendable {
    private let own: [String: Curve25519.Signing.PublicKey]
    private let centre = Mutex<[String: Curve25519.Signing.PublicKey]>([:])

    init(own: [String: Curve25519.Signing.PublicKey]) {
        self.own = own
    }

    var verifier: PassVerifier {
        PassVerifier(keys: own.merging(centre.withLock { $0 }) { mine, _ in mine })
    }

    /// The centre's keys from its latest configuration, replacing the ones before: the centre
    /// keeps a rotated-out key in the list until the passes it signed have expired.
    func trustCentre(_ keys: [String: String]) throws {
        var parsed: [String: Curve25519.Signing.PublicKey] = [:]
        for (keyId, text) in keys { parsed[keyId] = try PassKeys.publicKey(text: text) }
        centre.withLock { $0 = parsed }
    }
}
