import Crypto
import Foundation
import Synchronization
import MotcuaCore
import MotcuaStore
import MotcuaSync

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

    /// A key rotated out: its passes still verify until `trustedUntil`.
    struct Retired: Codable, Equatable {
        let keyId: String
        let publicKey: String
        let trustedUntil: Date
    }

    /// Replaces the signing key with a new one. The old key's public half stays trusted for
    /// `overlap`, so passes already handed out (a booking pass lasts until its slot ends,
    /// at most the booking horizon ahead) keep verifying; its private half is gone, so
    /// nothing new is signed with it. Takes effect when the server next starts. Returns the
    /// new key's id and the retired one.
    static func rotate(directory: String, overlap: TimeInterval, now: Date) throws -> (keyId: String, retired: Retired) {
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(fileName)) else {
            throw ConfigurationError(
                key: "--keys", value: directory, source: "keys rotate", expected: "the directory holding \(fileName) (keys.path)"
            )
        }
        let current = try loadOrCreate(directory: directory)
        let retired = Retired(
            keyId: current.keyId, publicKey: PassKeys.text(of: current.key.publicKey), trustedUntil: now.addingTimeInterval(overlap)
        )
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let retiredPath = (directory as NSString).appendingPathComponent("pass-retired-\(current.keyId).json")
        let fresh = PassKeys.generate()
        // The retired key is written first: a crash between the two writes leaves the old
        // key signing and also listed as retired, which is harmless.
        guard FileManager.default.createFile(atPath: retiredPath, contents: try encoder.encode(retired), attributes: [.posixPermissions: 0o600]),
              FileManager.default.createFile(
                  atPath: (directory as NSString).appendingPathComponent(fileName), contents: Data(PassKeys.text(of: fresh).utf8),
                  attributes: [.posixPermissions: 0o600]
              ) else {
            throw ConfigurationError(key: "keys.path", value: directory, source: "keys rotate", expected: "a writable directory")
        }
        return (keyId(for: fresh.publicKey), retired)
    }

    /// The retired keys in `directory`, expired ones included (the verifier drops those).
    static func retired(directory: String) throws -> [Retired] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return try files.filter { $0.hasPrefix("pass-retired-") && $0.hasSuffix(".json") }.sorted().map { file in
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path), let retired = try? decoder.decode(Retired.self, from: data),
                  (try? PassKeys.publicKey(text: retired.publicKey)) != nil else {
                throw ConfigurationError(key: "keys.path", value: path, source: "start-up", expected: "a retired pass key written by motcua keys rotate")
            }
            return retired
        }
    }
}

/// `motcua keys rotate`, for the command line.
public enum PassKeyRotation {
    public static func rotate(directory: String, overlapDays: Int, now: Date) throws -> (keyId: String, retiredKeyId: String, until: String) {
        let rotated = try PassSigningKey.rotate(directory: directory, overlap: TimeInterval(overlapDays) * 86_400, now: now)
        return (rotated.keyId, rotated.retired.keyId, ISO8601DateFormatter().string(from: rotated.retired.trustedUntil))
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
    /// This node's keys, each trusted until its date (nil: the current key, always).
    private let own: [String: (key: Curve25519.Signing.PublicKey, until: Date?)]
    private let centre = Mutex<[String: Curve25519.Signing.PublicKey]>([:])

    init(own: [String: (key: Curve25519.Signing.PublicKey, until: Date?)]) {
        self.own = own
    }

    /// The keys to check a pass with at `now`: a retired key drops out when its overlap ends.
    func verifier(at now: Date) -> PassVerifier {
        let mine = own.compactMapValues { $0.until.map { now < $0 } ?? true ? $0.key : nil }
        return PassVerifier(keys: mine.merging(centre.withLock { $0 }) { mine, _ in mine })
    }

    /// This node's keys as its sites receive them: the current one and those still in
    /// their overlap at `now`.
    func published(at now: Date) -> [CentreConfig.PassKey] {
        own.filter { $0.value.until.map { now < $0 } ?? true }.sorted { $0.key < $1.key }
            .map { CentreConfig.PassKey(keyId: $0.key, publicKey: PassKeys.text(of: $0.value.key)) }
    }

    /// The centre's keys from its latest configuration, replacing the ones before: the centre
    /// keeps a rotated-out key in the list until the passes it signed have expired.
    func trustCentre(_ keys: [String: String]) throws {
        var parsed: [String: Curve25519.Signing.PublicKey] = [:]
        for (keyId, text) in keys { parsed[keyId] = try PassKeys.publicKey(text: text) }
        centre.withLock { $0 = parsed }
    }
}
