import Testing
@testable import MotcuaCore

@Suite struct BookingCodeCipherTests {
    let cipher = BookingCodeCipher(key: Array(0..<16))!

    /// The published test vector (key 00…0f, message 00…07).
    @Test func sipHashMatchesItsReferenceVector() {
        #expect(BookingCodeCipher.sipHash24(0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908, 0x0706_0504_0302_0100) == 0x93f5_f579_9a93_2462)
    }

    @Test func codesAreDistinctAndReadBackToTheirNumbers() {
        let numbers: [UInt64] = Array(1...60_000) + (0..<20).map { BookingCode.codeCount - 1 - $0 }
        var seen = Set<String>()
        for number in numbers {
            let code = cipher.code(for: number)
            #expect(seen.insert(code.compact).inserted, "\(number) repeats a code")
            #expect(cipher.number(of: code) == number)
            #expect(BookingCode(compact: code.compact) == code)
        }
    }

    /// Consecutive bookings get codes that share nothing visible: every symbol at every
    /// position is about as frequent as any other.
    @Test func consecutiveNumbersGiveEvenlySpreadSymbols() {
        var counts = Array(repeating: [Int](repeating: 0, count: 30), count: BookingCode.length)
        let alphabet = Array(BookingCode.alphabet.utf8)
        let total = 30_000
        for number in 1...UInt64(total) {
            for (position, symbol) in cipher.code(for: number).compact.utf8.enumerated() {
                counts[position][alphabet.firstIndex(of: symbol)!] += 1
            }
        }
        // 1,000 expected per cell; five standard deviations is about ±160.
        #expect(counts.allSatisfy { $0.allSatisfy { (840...1_160).contains($0) } }, "\(counts)")
    }

    @Test func anotherKeyGivesOtherCodes() {
        let other = BookingCodeCipher(key: Array(repeating: 7, count: 16))!
        let same = (1...1_000).filter { cipher.code(for: UInt64($0)) == other.code(for: UInt64($0)) }
        #expect(same.isEmpty)
        #expect(BookingCodeCipher(key: Array(0..<15)) == nil)
    }

    @Test func aCodeWritesItsNumberInBaseThirty() {
        #expect(BookingCode.codeCount == 656_100_000_000)
        #expect(BookingCode(number: 0).compact == "22222222")
        #expect(BookingCode(number: BookingCode.codeCount - 1).compact == "ZZZZZZZZ")
        #expect(BookingCode(number: 31).compact == "22222233")
        for code in ["22222223", "ZZZZZZZY", "K7MQ3XHP"] {
            #expect(BookingCode(number: BookingCode(compact: code)!.number).compact == code)
        }
    }
}
