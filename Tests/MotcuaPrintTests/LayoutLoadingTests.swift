import Foundation
import Testing
@testable import MotcuaPrint

/// The layouts the project ships, and layouts written wrong the way a person editing them
/// might: each refusal must name the line to fix.
@Suite struct LayoutLoadingTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("layouts")

    static func shipped(_ form: PrintedForm) throws -> Layout {
        try Layout(contentsOf: folder.appendingPathComponent("\(form.rawValue).yaml"), form: form)
    }

    @Test(arguments: PrintedForm.allCases)
    func everyFormHasAShippedLayoutThatLoads(form: PrintedForm) throws {
        let layout = try Self.shipped(form)

        #expect(layout.form == form)
        #expect([58, 80, 148, 210].contains(layout.page.width))
    }

    @Test func everyLayoutFileIsNamedAfterAForm() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".yaml") }

        #expect(Set(files) == Set(PrintedForm.allCases.map { "\($0.rawValue).yaml" }))
    }

    @Test func everyFieldAFormOffersIsDocumented() throws {
        let docs = try String(
            contentsOf: Self.folder.deletingLastPathComponent().appendingPathComponent("docs/layouts.md"), encoding: .utf8)

        for form in PrintedForm.allCases {
            for (name, kind) in form.fields {
                #expect(docs.contains("`\(name)`"), "\(form): \(name)")
                if case .list(let items) = kind {
                    for item in items { #expect(docs.contains("`\(item)`"), "\(form): \(name).\(item)") }
                }
            }
        }
    }

    @Test func theReceiptIsAnA4SheetPrintedInTwoCopies() throws {
        let receipt = try Self.shipped(.receipt)

        #expect(receipt.page.width == 210 && receipt.page.height == 297)
        #expect(receipt.copies == ["Liên 1: Lưu", "Liên 2: Giao khách hàng"])
    }

    /// `# <-` marks the line the error must name; the rest of a case is a layout that would
    /// otherwise load.
    @Test(arguments: [
        ("unknown block type", "unknown block type 'txet'", """
            - txet: Xin chào   # <-
            """),
        ("two block types", "both text and qr", """
            - text: Xin chào
              qr: pass   # <-
            """),
        ("field without its value", "a field block needs 'value'", """
            - field: Họ và tên   # <-
              weight: bold
            """),
        ("misspelt option", "unknown key 'sise' in a text block", """
            - text: Xin chào
              sise: 12   # <-
            """),
        ("negative text size", "size must be a number from 4 to 96 pt, not '-3'", """
            - text: Xin chào
              size: -3   # <-
            """),
        ("text size in words", "not 'big'", """
            - text: Xin chào
              size: big   # <-
            """),
        ("QR wider than the roll", "size must be a number from 10 to 72 mm", """
            - qr: pass
              size: 90   # <-
            """),
        ("unknown alignment", "align is one of left, center, right, not 'middle'", """
            - text: Xin chào
              align: middle   # <-
            """),
        ("unknown field", "unknown field 'citizenNmae' for the booking form", """
            - text: Chào {{citizenNmae}}   # <-
            """),
        ("placeholder left open", "'{{' without its closing '}}'", """
            - text: Chào {{citizenName   # <-
            """),
        ("QR of a field the form lacks", "unknown field 'signature'", """
            - qr: signature   # <-
            """),
        ("copy label without copies", "'{{copy}}' needs the copy labels", """
            - text: "{{copy}}"   # <-
            """),
        ("text field repeated as a list", "'citizenName' is not a list field", """
            - list: citizenName   # <-
              item: "{{name}}"
            """),
        ("columns over the full width", "add up to more than 100%", """
            - columns:   # <-
                - width: 70%
                  blocks: []
                - width: 40%
                  blocks: []
            """),
        ("column width without a percent sign", "like 40%", """
            - columns:
                - width: 40   # <-
                  blocks: []
            """),
        ("include from a string", "include works only in a layout read from its file", """
            - include: parts/heading.yaml   # <-
            """),
        ("indentation gone wrong", "not valid YAML", """
            - text: Xin chào
               size: 12   # <-
            """),
        ("the same key twice", "the same key twice: size (this is the first)", """
            - text: Xin chào
              size: 12   # <-
              size: 14
            """),
    ])
    func aBrokenBlockIsRefusedNamingItsLine(problem: String, message: String, blocks: String) {
        let yaml = "page:\n  width: 80\n  margin: 4\nblocks:\n" + blocks.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")

        expectRefusal(yaml, form: .booking, saying: message, problem)
    }

    @Test(arguments: [
        ("page without its width", "page needs 'width'", """
            page:   # <-
              margin: 4
            blocks: []
            """),
        ("page narrower than any printer", "width must be a number from 40 to 420 mm, not '10'", """
            page:
              width: 10   # <-
            blocks: []
            """),
        ("margins eating the page", "margins leave less than 20 mm of the 58 mm page", """
            page:
              width: 58
              margin: [3, 20, 3, 20]   # <-
            blocks: []
            """),
        ("three margins", "margin is one number or four", """
            page:
              width: 80
              margin: [3, 4, 5]   # <-
            blocks: []
            """),
        ("no blocks", "the layout needs 'blocks'", """
            page:   # <-
              width: 80
            """),
        ("unknown top-level key", "unknown key 'block' in the layout", """
            page:
              width: 80
            block: []   # <-
            blocks: []
            """),
        ("blocks not a list", "blocks must be a list", """
            page:
              width: 80
            blocks:
              text: Xin chào   # <-
            """),
    ])
    func aBrokenPageIsRefusedNamingItsLine(problem: String, message: String, yaml: String) {
        expectRefusal(yaml, form: .booking, saying: message, problem)
    }

    @Test func aListItemMayUseItsOwnFieldsAndTheForms() throws {
        let yaml = """
            page:
              width: 80
            blocks:
              - list: documents
                item: "{{name}} ({{procedureName}}): {{originals}}"
              - list: documents
                item: "{{nmae}}"   # <-
            """

        expectRefusal(yaml, form: .checklist, saying: "unknown field 'nmae' for the checklist form; known: ", "item field")
    }

    @Test func anErrorInAnIncludedFileNamesThatFileAndItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("layouts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("parts"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "page:\n  width: 210\nblocks:\n  - include: parts/heading.yaml\n"
            .write(to: folder.appendingPathComponent("receipt.yaml"), atomically: true, encoding: .utf8)
        try "blocks:\n  - text: \"{{agencyName}}\"\n  - text: \"{{agencyNmae}}\"\n"
            .write(to: folder.appendingPathComponent("parts/heading.yaml"), atomically: true, encoding: .utf8)

        let error = #expect(throws: LayoutError.self) {
            try Layout(contentsOf: folder.appendingPathComponent("receipt.yaml"), form: .receipt)
        }

        #expect(error?.file == "parts/heading.yaml")
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("parts/heading.yaml, line 3, column 11: unknown field 'agencyNmae'") == true)
    }

    @Test func anErrorInALayoutFileNamesTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ticket-\(UUID().uuidString).yaml")
        try "page:\n  width: 80\nblocks:\n  - txet: A012\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let error = #expect(throws: LayoutError.self) { try Layout(contentsOf: file, form: .ticket) }

        #expect(error?.description.hasPrefix("\(file.lastPathComponent), line 4, column 5: unknown block type 'txet'") == true)
    }

    /// Found by fuzzing: libyaml places a problem found at the very end of a file without a
    /// final line break on the line after the last; the error names the last line instead.
    @Test func aProblemAtTheEndOfTheFileIsOnItsLastLine() {
        let yaml = "- value'name5copy\n    ]namegap- passitem\nvaluesizenamealign- fieldtextqrmargincopies"

        let error = #expect(throws: LayoutError.self) { try Layout(yaml: yaml, form: .booking) }

        #expect(error?.line == 3)
        #expect(error?.column == 44)
        #expect(error?.message == "not valid YAML: while scanning a simple key could not find expected ':'")
    }

    /// Found by probing the loader with the fuzzer's alias tokens: each block repeating the
    /// one before ten times, nine deep, is 10⁹ blocks from 850 bytes, and loading never
    /// finished. A file may repeat a block by alias, not expand past twice its own size.
    @Test func aliasesRepeatingAliasesAreRefusedOnceTheyOutgrowTheFile() throws {
        var lines = ["page:", "  width: 80", "blocks:", "  - &b0 {text: x}"]
        for level in 1...9 {
            let repeated = Array(repeating: "*b\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("  - &b\(level) {columns: [{blocks: [\(repeated)]}], gap: 0}")
        }
        let repeatedOnce = "page:\n  width: 80\nblocks:\n  - &rule {line: 20}\n  - text: x\n  - *rule\n"

        let error = #expect(throws: LayoutError.self) { try Layout(yaml: lines.joined(separator: "\n"), form: .booking) }
        let layout = try Layout(yaml: repeatedOnce, form: .booking)

        #expect(error?.message.hasPrefix("aliases (*name) repeat their anchors so often that the file would hold over") == true)
        #expect((1...lines.count).contains(error?.line ?? 0))
        #expect(layout.blocks.count == 3)
    }

    @Test func anEmptyFileIsRefused() {
        expectRefusal("", form: .ticket, saying: "the file is empty", "empty", line: 1)
    }

    private func expectRefusal(
        _ yaml: String, form: PrintedForm, saying message: String, _ problem: String, line: Int? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let marked = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("# <-") }
        let expectedLine = line ?? marked.map { $0 + 1 }
        let error = #expect(throws: LayoutError.self, "\(problem)", sourceLocation: sourceLocation) {
            try Layout(yaml: yaml, form: form)
        }
        #expect(error?.line == expectedLine, "\(problem): \(error?.description ?? "")", sourceLocation: sourceLocation)
        #expect(error?.message.contains(message) == true, "\(problem): \(error?.description ?? "")", sourceLocation: sourceLocation)
    }
}
