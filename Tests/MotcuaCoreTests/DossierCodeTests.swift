import Foundation
import FuzzSupport
import Testing
@testable import MotcuaCore

@Suite struct DossierCodePatternTests {
    let day = LocalDate(year: 2027, month: 2, day: 3)!

    @Test func theDefaultIsAgencyDateAndAFourDigitDailySequence() {
        let code = DossierCodePattern.standard.code(agency: "000.00.01.H22", date: day, procedure: "1.001193", sequence: 7)

        #expect(code == "000.00.01.H22-270203-0007")
        #expect(DossierCodePattern.standard.code(agency: "X", date: day, procedure: "", sequence: 12_345) == "X-270203-12345")
    }

    @Test func aCentreCanWriteItsOwnPattern() throws {
        let pattern = try DossierCodePattern("HS/<procedure>/<yyyymmdd>/<sequence>")

        #expect(pattern.code(agency: "H22", date: day, procedure: "2.000635", sequence: 42) == "HS/2.000635/20270203/42")
        #expect(try DossierCodePattern("<sequence:6>").code(agency: "", date: day, procedure: "", sequence: 3) == "000003")
    }

    @Test(arguments: [
        ("<agency>-<yymmdd>", "has no <sequence>"),
        ("<agency>-<date>-<sequence>", "unknown placeholder <date>"),
        ("<agency-<sequence>", "unknown placeholder <agency-<sequence>"),
        ("<agency>-<sequence", "\"<\" without \">\""),
        ("<sequence:0>", "unknown placeholder <sequence:0>"),
        ("<sequence:x>", "unknown placeholder <sequence:x>"),
    ])
    func aBadPatternIsRefusedSayingWhy(pattern: String, reason: String) {
        #expect(throws: DossierCodePattern.Invalid.self) { try DossierCodePattern(pattern) }
        do {
            _ = try DossierCodePattern(pattern)
        } catch {
            #expect(error.description.contains(reason))
        }
    }

    @Test func thePatternIsWrittenInConfigurationAsItsText() throws {
        let json = try JSONEncoder().encode(["pattern": DossierCodePattern.standard])

        let decoded = try JSONDecoder().decode([String: DossierCodePattern].self, from: json)

        #expect(String(decoding: json, as: UTF8.self) == #"{"pattern":"<agency>-<yymmdd>-<sequence:4>"}"#)
        #expect(decoded["pattern"] == .standard)
        #expect(throws: DossierCodePattern.Invalid.self) {
            try JSONDecoder().decode([String: DossierCodePattern].self, from: Data(#"{"pattern":"<agency>"}"#.utf8))
        }
    }
}

@Suite struct DraftCodeTests {
    @Test func readsAsPeopleTypeItAndPrintsGrouped() throws {
        let code = try #require(DraftCode(parsing: "k7mq 3xhp"))

        #expect(code.compact == "K7MQ3XHP" && code.description == "K7MQ-3XHP")
        #expect(DraftCode(compact: "k7mq3xhp") == nil)
        #expect(String(decoding: try JSONEncoder().encode([code]), as: UTF8.self) == #"["K7MQ3XHP"]"#)
    }

    @Test func randomCodesAreDrawnFromTheBookingAlphabet() {
        var generator = SplitMix64(seed: 7)

        let codes = (0..<1_000).map { _ in DraftCode.random(using: &generator) }

        #expect(Set(codes).count == 1_000)
        #expect(codes.allSatisfy { $0.compact.allSatisfy(BookingCode.alphabet.contains) && $0.compact.count == 8 })
    }
}
