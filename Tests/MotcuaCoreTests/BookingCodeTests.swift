import Foundation
import FuzzSupport
import Testing
@testable import MotcuaCore

private func randomCodes(_ count: Int, seed: UInt64) -> [BookingCode] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in BookingCode.random(using: &generator) }
}

@Suite struct BookingCodeAlphabetTests {
    @Test func alphabetHasThirtyDistinctUppercaseSymbols() {
        let symbols = Array(BookingCode.alphabet)

        let distinct = Set(symbols)

        #expect(symbols.count == 30)
        #expect(distinct.count == symbols.count)
        #expect(symbols.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) })
    }

    @Test func alphabetHasNoConfusableSymbol() {
        let confusables = Set("01ILOU")

        let present = confusables.intersection(BookingCode.alphabet)

        #expect(present.isEmpty)
    }
}

@Suite struct BookingCodeRandomTests {
    @Test func hundredThousandRandomCodesParseAndRoundTrip() {
        let codes = randomCodes(100_000, seed: 1)

        let failures = codes.filter { code in
            BookingCode(parsing: code.description) != code || BookingCode(compact: code.compact) != code
        }

        #expect(failures.isEmpty)
    }

    @Test func theSameSeedGivesTheSameCodes() {
        let seed: UInt64 = 42

        let first = randomCodes(100, seed: seed)
        let second = randomCodes(100, seed: seed)

        #expect(first == second)
        #expect(Set(first).count == first.count)
    }

    /// A modulo mapping of a byte onto 30 symbols would favour 16 of them by 1/8; with
    /// 240,000 symbols drawn (8,000 expected each, standard deviation ≈ 88) a ±5 % band
    /// catches that and still holds for a fair draw.
    @Test func everySymbolIsDrawnEvenlyAtEveryPosition() {
        let codes = randomCodes(30_000, seed: 7)

        var overall: [Character: Int] = [:]
        var byPosition = Array(repeating: [Character: Int](), count: BookingCode.length)
        for code in codes {
            for (position, symbol) in code.compact.enumerated() {
                overall[symbol, default: 0] += 1
                byPosition[position][symbol, default: 0] += 1
            }
        }

        let expected = Double(codes.count * BookingCode.length) / Double(BookingCode.alphabet.count)
        #expect(Set(overall.keys) == Set(BookingCode.alphabet))
        #expect(overall.values.allSatisfy { abs(Double($0) - expected) < expected * 0.05 })
        #expect(byPosition.allSatisfy { Set($0.keys) == Set(BookingCode.alphabet) })
    }
}

@Suite struct BookingCodeParsingTests {
    @Test(arguments: ["abcd efgh", "ABCD-EFGH", " abcdefgh ", "ABCDEFGH", "aBcD - eFgH", "a-b-c-d-e-f-g-h",
                      "ABCD\u{2013}EFGH", "ABCD\u{00A0}EFGH", "\tABCD\nEFGH\r\n"])
    func typedVariantsParseToTheSameCode(typed: String) throws {
        let expected = try #require(BookingCode(compact: "ABCDEFGH"))

        let parsed = BookingCode(parsing: typed)

        #expect(parsed == expected)
    }

    @Test(arguments: ["", "ABCDEFG", "ABCDEFGHJ", "ABCD-EFG", "--------", "ABCD_EFGH", "ABCD.EFGH", "ABCDÉFGH",
                      "ABCDEFG\u{0301}H", "abcdefß", String(repeating: " ", count: 80) + "ABCDEFGH"])
    func wrongLengthOrSymbolIsRefused(typed: String) {
        let parsed = BookingCode(parsing: typed)

        #expect(parsed == nil)
    }

    /// None of the left-out look-alikes is read as another symbol: the citizen is asked again.
    @Test(arguments: ["0", "O", "o", "1", "I", "i", "L", "l", "U", "u"])
    func confusableSymbolIsRefused(confusable: String) {
        let typed = "ABCD-EFG" + confusable

        let parsed = BookingCode(parsing: typed)

        #expect(parsed == nil)
    }

    @Test(arguments: ["abcdefgh", "ABCD-EFGH", " ABCDEFGH", "ABCDEFGI", "ABCDEFG", "ABCDEFGHJ"])
    func strictCheckRefusesAnythingButTheCompactForm(text: String) {
        let code = BookingCode(compact: text)

        #expect(code == nil)
    }
}

@Suite struct BookingCodeFormTests {
    @Test func descriptionIsGroupedByFour() throws {
        let code = try #require(BookingCode(compact: "K7MQ3XHP"))

        let shown = code.description

        #expect(shown == "K7MQ-3XHP")
    }

    @Test func encodesAsTheCompactString() throws {
        let code = try #require(BookingCode(compact: "K7MQ3XHP"))

        let json = try JSONEncoder().encode([code])
        let decoded = try JSONDecoder().decode([BookingCode].self, from: json)

        #expect(String(decoding: json, as: UTF8.self) == #"["K7MQ3XHP"]"#)
        #expect(decoded == [code])
    }

    /// Stored and wire values are ours, so decoding is strict: typed forms are parsed at the input.
    @Test(arguments: [#"["K7MQ-3XHP"]"#, #"["k7mq3xhp"]"#, #"["K7MQ3XH0"]"#, #"["K7MQ3XH"]"#, "[42]"])
    func decodingRefusesAnythingButTheCompactForm(json: String) {
        let data = Data(json.utf8)

        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([BookingCode].self, from: data)
        }
    }
}
