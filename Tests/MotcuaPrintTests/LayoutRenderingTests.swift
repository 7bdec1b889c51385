import PrintTestSupport
import Foundation
import Testing
@testable import MotcuaPrint

/// Every render is read back by tools that share nothing with Pango and Cairo: poppler's
/// pdftotext, pdfinfo and pdftoppm (poppler-utils), and zbarimg (zbar-tools). They are run
/// by path, and a missing one fails the test.
@Suite struct LayoutRenderingTests {
    /// Fields printed only as QR codes; every other specimen value must come out as text.
    static let qrFields: Set = ["pass", "statusUrl"]

    @Test(arguments: PrintedForm.allCases)
    func everyValueComesOutOfThePDFExactly(form: PrintedForm) async throws {
        let pdf = try LayoutLoadingTests.shipped(form).pdf(form.specimen)

        let text = try await Poppler.text(of: pdf)

        var expected: [String] = []
        for (field, value) in form.specimen where !Self.qrFields.contains(field) {
            switch value {
            case .text(let text): expected.append(text)
            case .list(let items): expected += items.compactMap { $0["name"] } + items.compactMap { $0["note"] }
            }
        }
        for value in expected {
            #expect(spaced(text).contains(spaced(value)), "\(form): \(value)")
        }
    }

    @Test func vietnameseComesBackWithEveryDiacriticEvenWhenGivenDecomposed() async throws {
        var values = PrintedForm.booking.specimen
        values["citizenName"] = .text("Nguyễn Thị Hồng Nhung".decomposedStringWithCanonicalMapping)
        values["serviceName"] = "Đăng ký khai sinh"
        values["centreAddress"] = "Phường Ô Chợ Dừa, Quận Đống Đa, Thành phố Hà Nội"

        let text = try await Poppler.text(of: LayoutLoadingTests.shipped(.booking).pdf(values))

        for phrase in ["Nguyễn Thị Hồng Nhung", "Đăng ký khai sinh", "Phường Ô Chợ Dừa, Quận Đống Đa, Thành phố Hà Nội"] {
            #expect(spaced(text).contains(phrase), "\(phrase) in \(text)")
        }
        #expect(text == text.precomposedStringWithCanonicalMapping)
    }

    @Test(arguments: [(PrintedForm.ticket, "pass"), (.booking, "pass"), (.checklist, "pass"), (.receipt, "statusUrl")])
    func theQRCodeReadsBackFromThePrintedPage(form: PrintedForm, field: String) async throws {
        var values = form.specimen
        let payload = "MC1.T.A012.HN01.A.20270301T0900.20270301T1700.ab12cd34.SIGNATURE_BASE64URL_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        values[field] = .text(payload)
        let layout = try LayoutLoadingTests.shipped(form)

        let fromPDF = try await Zbar.decode(png: Poppler.png(of: layout.pdf(values), dpi: 300))
        let fromPNG = try await Zbar.decode(png: layout.png(values))

        #expect(fromPDF == payload)
        #expect(fromPNG == payload)
    }

    @Test func aLongNameAndAddressWrapInsteadOfBeingCutOff() async throws {
        let layout = try LayoutLoadingTests.shipped(.booking)
        var values = PrintedForm.booking.specimen
        let short = try layout.pdf(values)
        let name = "Công Tôn Nữ Thị Hoàng Phương Thảo Nguyễn Lê Minh Châu Anh Đào Huyền Trân Bảo Ngọc Khánh Linh"
        let address = "Tổ dân phố số 17, Khu tái định cư Đồng Tàu, Phường Thịnh Liệt, Quận Hoàng Mai, Thành phố Hà Nội"
        values["citizenName"] = .text(name)
        values["centreAddress"] = .text(address)

        let long = try layout.pdf(values)

        let (shortText, longText) = (try await Poppler.text(of: short), try await Poppler.text(of: long))
        #expect(spaced(longText).contains(name))
        #expect(spaced(longText).contains(address))
        #expect(lineCount(longText) >= lineCount(shortText) + 2, "the name takes three lines instead of one")
        #expect(try await Poppler.pageSize(of: long).height > Poppler.pageSize(of: short).height)
        try await expectEveryWordOnThePage(long, margin: 4)
    }

    @Test func aWordLongerThanTheLineBreaksBetweenLettersWithNoHyphenAdded() async throws {
        var values = PrintedForm.receipt.specimen
        let email = "nguyen.thi.hong.nhung.phuong.o.cho.dua.quan.dong.da.thanh.pho.ha.noi.viet.nam@example.vn"
        values["email"] = .text(email)

        let pdf = try LayoutLoadingTests.shipped(.receipt).pdf(values)

        let letters = try await Poppler.text(of: pdf).filter { !$0.isWhitespace }
        #expect(letters.contains(email))
        try await expectEveryWordOnThePage(pdf, margin: 15)
    }

    @Test func aSheetGrowsPastItsHeightRatherThanCutADossierShort() async throws {
        let layout = try LayoutLoadingTests.shipped(.receipt)
        var values = PrintedForm.receipt.specimen
        let documents = (1...40).map { ["name": "Giấy tờ kèm theo số \($0)", "originals": "1", "copies": "0"] }
        values["documents"] = .list(documents)

        let usual = try await Poppler.pageSize(of: layout.pdf(PrintedForm.receipt.specimen))
        let long = try layout.pdf(values)

        #expect(abs(usual.height - 297 * 72 / 25.4) < 0.01, "the usual receipt fills exactly one A4 sheet")
        #expect(try await Poppler.pageSize(of: long).height > usual.height)
        #expect(spaced(try await Poppler.text(of: long)).contains("Giấy tờ kèm theo số 40"))
    }

    @Test func eachCopyIsItsOwnPageWithItsLabel() async throws {
        let pdf = try LayoutLoadingTests.shipped(.receipt).pdf(PrintedForm.receipt.specimen)

        #expect(try await Poppler.info(of: pdf)["Pages"] == "2")
        #expect(try await Poppler.text(of: pdf, page: 1).contains("Liên 1: Lưu"))
        #expect(try await Poppler.text(of: pdf, page: 2).contains("Liên 2: Giao khách hàng"))
        #expect(try await !Poppler.text(of: pdf, page: 2).contains("Liên 1: Lưu"))
    }

    @Test func aRollIsAsTallAsItsContentAndThePNGIsAtThePrintersDPI() async throws {
        let layout = try LayoutLoadingTests.shipped(.ticket)

        let page = try await Poppler.pageSize(of: layout.pdf(PrintedForm.ticket.specimen))
        let png = try layout.png(PrintedForm.ticket.specimen)

        #expect(abs(page.width - 80 * 72 / 25.4) < 0.01)
        #expect(page.height > 250 && page.height < 600)
        let pixels = pngSize(png)
        #expect(pixels.width == Int((80 / 25.4 * 203).rounded(.up)))
        #expect(pixels.height == Int((page.height / 72 * 203).rounded(.up)))
    }

    @Test func valuesThatDoNotFitTheLayoutAreRefused() async throws {
        let layout = try LayoutLoadingTests.shipped(.ticket)
        var values = PrintedForm.ticket.specimen

        values["ticketNumber"] = nil
        #expect(throws: LayoutRenderError.missingValue(field: "ticketNumber")) { try layout.pdf(values) }
        values["ticketNumber"] = [["name": "A012"]]
        #expect(throws: LayoutRenderError.wrongKind(field: "ticketNumber")) { try layout.pdf(values) }
        values = PrintedForm.ticket.specimen
        values["pass"] = .text(String(repeating: "x", count: 4000))
        #expect(throws: LayoutRenderError.unencodableQR(field: "pass")) { try layout.pdf(values) }
    }

    @Test func aListItemMissingAFieldIsRefused() async throws {
        var values = PrintedForm.checklist.specimen
        values["documents"] = [["name": "Giấy chứng sinh", "originals": "1"]]

        #expect(throws: LayoutRenderError.missingItemValue(list: "documents", item: 0, field: "copies")) {
            try LayoutLoadingTests.shipped(.checklist).pdf(values)
        }
    }

    /// pdftotext's bounding boxes: a word past the right margin or the page's foot was cut off.
    private func expectEveryWordOnThePage(_ pdf: Data, margin: Double, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let page = try await Poppler.pageSize(of: pdf)
        let words = try await Poppler.wordBoxes(of: pdf)
        #expect(!words.isEmpty, sourceLocation: sourceLocation)
        for word in words {
            #expect(word.xMax <= page.width - margin * 72 / 25.4 + 0.5, "\(word.text) runs past the margin", sourceLocation: sourceLocation)
            #expect(word.yMax <= page.height, "\(word.text) runs off the page", sourceLocation: sourceLocation)
        }
    }
}

/// Runs of whitespace as one space: pdftotext breaks lines where the layout wrapped them.
private func spaced(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

private func lineCount(_ text: String) -> Int {
    text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count
}

/// Width and height from the IHDR chunk, which every PNG starts with.
private func pngSize(_ png: Data) -> (width: Int, height: Int) {
    let bytes = [UInt8](png.prefix(24))
    func int(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (int(16), int(20))
}
