/// Booking codes derived from booking numbers (the store's row ids) by a keyed permutation of
/// the 30⁸ codes, and numbers read back from codes.
///
/// Why: a random code needed a unique index to find the booking and to refuse a repeat, and
/// that index took a random page, so a WAL frame, with every booking: a fifth of the booking
/// writer's time. A permuted number is unique by construction and found by its number.
/// Without the key, codes are as unguessable as random ones: the permutation is an 8-round
/// Feistel network over 40 bits whose round function is SipHash-2-4 under a 128-bit key,
/// walked in cycles until it lands below 30⁸.
public struct BookingCodeCipher: Sendable {
    private let k0: UInt64
    private let k1: UInt64
    private static let rounds = 8
    private static let halfBits: UInt64 = 20
    private static let halfMask: UInt64 = (1 << halfBits) - 1

    /// `key`: 16 secret bytes, kept for the life of the database.
    public init?(key: [UInt8]) {
        guard key.count == 16 else { return nil }
        k0 = key[0..<8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        k1 = key[8..<16].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The code of booking `number` (below 30⁸).
    public func code(for number: UInt64) -> BookingCode {
        precondition(number < BookingCode.codeCount, "a booking number is below 30⁸")
        var value = encrypt(number)
        while value >= BookingCode.codeCount { value = encrypt(value) }
        return BookingCode(number: value)
    }

    /// The booking number `code` was derived from (whether such a booking exists is the
    /// store's to say).
    public func number(of code: BookingCode) -> UInt64 {
        var value = decrypt(code.number)
        while value >= BookingCode.codeCount { value = decrypt(value) }
        return value
    }

    private func encrypt(_ value: UInt64) -> UInt64 {
        var (left, right) = (value >> Self.halfBits, value & Self.halfMask)
        for round in 0..<Self.rounds {
            (left, right) = (right, left ^ mix(round, right))
        }
        return left << Self.halfBits | right
    }

    private func decrypt(_ value: UInt64) -> UInt64 {
        var (left, right) = (value >> Self.halfBits, value & Self.halfMask)
        for round in (0..<Self.rounds).reversed() {
            (left, right) = (right ^ mix(round, left), left)
        }
        return left << Self.halfBits | right
    }

    private func mix(_ round: Int, _ half: UInt64) -> UInt64 {
        Self.sipHash24(k0, k1, UInt64(round) << 32 | half) & Self.halfMask
    }

    /// SipHash-2-4 of one 8-byte little-endian message (Aumasson and Bernstein, 2012).
    static func sipHash24(_ k0: UInt64, _ k1: UInt64, _ message: UInt64) -> UInt64 {
        var v0: UInt64 = k0 ^ 0x736f_6d65_7073_6575, v1: UInt64 = k1 ^ 0x646f_7261_6e64_6f6d
        var v2: UInt64 = k0 ^ 0x6c79_6765_6e65_7261, v3: UInt64 = k1 ^ 0x7465_6462_7974_6573
        func round() {
            v0 &+= v1; v1 = v1 << 13 | v1 >> 51; v1 ^= v0; v0 = v0 << 32 | v0 >> 32
            v2 &+= v3; v3 = v3 << 16 | v3 >> 48; v3 ^= v2
            v0 &+= v3; v3 = v3 << 21 | v3 >> 43; v3 ^= v0
            v2 &+= v1; v1 = v1 << 17 | v1 >> 47; v1 ^= v2; v2 = v2 << 32 | v2 >> 32
        }
        v3 ^= message; round(); round(); v0 ^= message
        let last: UInt64 = 8 << 56  // the message's length in the final block
        v3 ^= last; round(); round(); v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}
