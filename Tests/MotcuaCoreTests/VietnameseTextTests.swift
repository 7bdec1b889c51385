import Testing
@testable import MotcuaCore

@Suite struct VietnameseTextTests {
    @Test func foldsTonesCaseAndDToTheSameKey() {
        #expect(VietnameseText.searchKey("Đăng  ký KHAI SINH") == "dang ky khai sinh")
        #expect(VietnameseText.searchKey("Chứng thực bản sao") == "chung thuc ban sao")
        #expect(VietnameseText.searchKey("đường Điện Biên Phủ") == "duong dien bien phu")
    }

    @Test func decomposedInputFoldsLikeComposed() {
        let decomposed = "Nguye\u{0302}\u{0303}n"   // "Nguyễn" typed as base letters plus combining marks
        #expect(decomposed.unicodeScalars.count == 8)
        #expect(VietnameseText.searchKey(decomposed) == VietnameseText.searchKey("Nguyễn"))
        #expect(VietnameseText.nfc(decomposed) == "Nguyễn")
        #expect(VietnameseText.nfc(decomposed).unicodeScalars.count == 6)
    }

    @Test func trimsAndCollapsesWhiteSpace() {
        #expect(VietnameseText.searchKey("  Hộ \t tịch \n") == "ho tich")
    }
}

@Suite struct RedactionTests {
    @Test func masksIdNumbersAndPhonesInAnyCommonWriting() {
        let line = "citizen 001203012345 phone 0912 345 678 alt +84912345678 or 091.234.5678, 0912-345-678, old id 123456789"
        let scrubbed = Redaction.scrub(line)
        #expect(scrubbed == "citizen [redacted] phone [redacted] alt [redacted] or [redacted], [redacted], old id [redacted]")
    }

    @Test func keepsShortNumbers() {
        let line = "ticket A012 at counter 3, 2027-02-03 09:30, port 8080, 42 waiting"
        #expect(Redaction.scrub(line) == line)
    }

    @Test func redactedValuesPrintAsTheMask() {
        let name = Redacted("Nguyễn Văn An")
        #expect("\(name)" == Redaction.mask)
        #expect(String(reflecting: name) == Redaction.mask)
        #expect(name.value == "Nguyễn Văn An")
    }
}
