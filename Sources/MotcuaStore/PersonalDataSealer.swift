import Crypto
import Foundation

/// Keeps ID numbers and phone numbers unreadable at rest. A value is sealed with AES-GCM
/// under the current key and written `pd1.<keyId>.<base64>`; where only matching is needed
/// (one booking per person and day, a person's export or erasure) an ID number is stored as
/// a keyed hash. Rotation: the new key becomes `privacy.key`, the old one moves to
/// `privacy.previousKeys`; at start every value under an old key is opened, sealed again
/// and rehashed (`Store.resealPersonalData`), after which the old key can go.
public struct PersonalDataSealer: Sendable {
    public enum Failure: Error, Equatable {
        /// Sealed under a key this node was not given (an old key removed too early).
        case unknownKey(String)
        case corrupt
    }

    private static let prefix = "pd1."
    public let keyId: String
    private let current: SymmetricKey
    private let readable: [String: SymmetricKey]
    /// HMAC under the matching key, keyed once: keying it was half the cost of every hash.
    private let matching: HMAC<SHA256>

    /// `current` seals; `previous` keys only open what they sealed.
    public init(current: SymmetricKey, previous: [SymmetricKey] = []) {
        self.current = current
        keyId = Self.keyId(of: current)
        var readable = [keyId: current]
        for key in previous { readable[Self.keyId(of: key)] = key }
        self.readable = readable
        // Its own key for hashing, so a hash says nothing about the sealing key.
        matching = HMAC(key: HKDF<SHA256>.deriveKey(
            inputKeyMaterial: current, info: Data("motcua personal data matching".utf8), outputByteCount: 32
        ))
    }

    /// A fresh random key, as `privacy.key` or the key file holds it (base64).
    public static func newKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// A key from its base64 text; nil unless it is 32 bytes.
    public static func key(base64 text: String) -> SymmetricKey? {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else { return nil }
        return SymmetricKey(data: data)
    }

    public func seal(_ value: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(value.utf8), using: current).combined else { throw Failure.corrupt }
        return Self.prefix + keyId + "." + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] + "." == Self.prefix, let data = Data(base64Encoded: parts[2]) else { throw Failure.corrupt }
        guard let key = readable[parts[1]] else { throw Failure.unknownKey(parts[1]) }
        do {
            return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
        } catch {
            throw Failure.corrupt
        }
    }

    /// Whether `text` is sealed under the current key (else it is plain, from before
    /// sealing, or under an old key, and is due to be sealed again).
    public func isCurrent(_ text: String) -> Bool {
        text.hasPrefix(Self.prefix + keyId + ".")
    }

    public func isSealed(_ text: String) -> Bool {
        text.hasPrefix(Self.prefix)
    }

    /// The keyed hash an ID number is matched by; the same number gives the same hash under
    /// the same key, and nothing can be read back from it.
    public func matchingHash(_ idNumber: String) -> String {
        var hmac = matching
        hmac.update(data: Data(idNumber.utf8))
        return Self.hex(hmac.finalize())
    }

    private static func keyId(of key: SymmetricKey) -> String {
        // The id names the key without revealing it: a hash of a 256-bit random key.
        hex(SHA256.hash(data: key.withUnsafeBytes { Data("motcua key id".utf8) + Data($0) }).prefix(4))
    }

    /// Lower-case hex, as `String(format: "%02x")` wrote it, by hand: every booking hashes
    /// an ID number, and Foundation's formatter was over half of a booking's time.
    private static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
