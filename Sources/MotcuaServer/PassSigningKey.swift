import Crypto
import Foundation
import Synchronization
import MotcuaCore
import MotcuaStore

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

/// The key sealing personal data at rest, when the configuration gives none: made on first
/// start beside the pass-signing key, readable by the service's user only.
public enum PersonalDataKey {
    static let fileName = "personal-data.key"

    /// The sealer of a node: `privacy.key` if set, else the key file in `directory`.
    public static func sealer(configured: String?, previous: [String] = [], directory: String) throws -> PersonalDataSealer {
        let text = try configured ?? loadOrCreate(directory: directory)
        guard let current = PersonalDataSealer.key(base64: text) else {
            throw ConfigurationError(
                key: "privacy.key", value: configured == nil ? (directory as NSString).appendingPathComponent(fileName) : "(hidden)",
                source: "start-up", expected: "32 random bytes in base64"
            )
        }
        return PersonalDataSealer(current: current, previous: previous.compactMap(PersonalDataSealer.key(base64:)))
    }

    /// The store as the command-line tools open it (tokens, accounts): they touch no
    /// personal data, so without the node's key file beside the database a key of their own
    /// does, and nothing is written for it.
    public static func storeForTools(databasePath: String) throws -> Store {
        let keys = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("keys").path
        let file = (keys as NSString).appendingPathComponent(fileName)
        let sealer = FileManager.default.fileExists(atPath: file)
            ? try sealer(configured: nil, directory: keys)
            : PersonalDataSealer(current: SymmetricKey(size: .bits256))
        return try Store(path: databasePath, sealer: sealer)
    }

    private static func loadOrCreate(directory: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(fileName)
        if let stored = FileManager.default.contents(atPath: path) { return String(decoding: stored, as: UTF8.self) }
        let text = PersonalDataSealer.newKey()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError(key: "keys.path", value: directory, source: "start-up", expected: "a writable directory")
        }
        return text
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
