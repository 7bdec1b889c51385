import Foundation
import FuzzSupport
import Testing
@testable import MotcuaPrint

/// The layout loader fuzzed (issue "Hardening"): the shipped layouts mutated, each input
/// read as the form its seed belongs to. Whatever loads must fit its page and name only its
/// form's fields; whatever is refused must name a line of the file that has the problem.
/// `MOTCUA_FUZZ_ITERATIONS` and `MOTCUA_FUZZ_SEED` change the run; inputs are bounded, so a
/// hang shows as this test never finishing.
@Suite struct LayoutFuzzTests {
    static let forms = PrintedForm.allCases
    static let campaign = FuzzCampaign(
        "layout file",
        seeds: forms.map { try! String(contentsOf: file($0.rawValue + ".yaml"), encoding: .utf8) },
        alphabet: ["\n", "\n  ", "\n    ", "- ", ": ", "[", "]", "{", "}", ",", "#", "\"", "'", "%", "{{", "}}", "0", "5", "80", "210",
                   "page", "width", "margin", "blocks", "text", "field", "value", "list", "item", "qr", "size", "line", "space",
                   "columns", "gap", "include", "copies", "align", "weight", "bold", "pass", "copy", "documents", "name"],
        extraTokens: ["include: parts/heading.yaml", "include: parts/applicant.yaml", "include: receipt.yaml", "width: 100%",
                      "width: 0%", "gap: 50", "columns:\n  - blocks: []", "blocks: *a"]
    )

    static func file(_ name: String) -> URL {
        LayoutLoadingTests.folder.appendingPathComponent(name)
    }

    /// Unknown fields and sizes that do not fit are refused on load: a layout that loads must
    /// hold to the same rules all the way down, or a render fails at the counter.
    private static func problem(in layout: Layout) -> String? {
        let page = layout.page
        let margins = [page.margins.top, page.margins.right, page.margins.bottom, page.margins.left]
        guard (40...420).contains(page.width), page.height.map({ (40...2000).contains($0) }) ?? true,
              margins.allSatisfy({ (0...100).contains($0) }), page.contentWidth >= 20, (72...1200).contains(page.dpi),
              (4...96).contains(page.textSize)
        else { return "page \(page)" }
        var texts = Set(layout.form.fields.filter { $0.value == .text }.keys)
        if !layout.copies.isEmpty { texts.insert("copy") }
        return problem(in: layout.blocks, width: page.contentWidth, form: layout.form, texts: texts)
    }

    private static func problem(in blocks: [Block], width: Double, form: PrintedForm, texts: Set<String>) -> String? {
        func unknown(_ template: Template, also items: Set<String> = []) -> Bool {
            !Set(template.fields).isSubset(of: texts.union(items))
        }
        for block in blocks {
            switch block {
            case .text(let template, let style):
                if unknown(template) || !(4...96).contains(style.size) { return "text block \(template.fields) \(style)" }
            case .field(let label, let value, let style):
                if unknown(label) || unknown(value) || !(4...96).contains(style.size) { return "field block \(style)" }
            case .list(let field, let item, _, let indent, let style):
                guard case .list(let items) = form.fields[field], !unknown(item, also: items), (0...(width / 2)).contains(indent),
                      (4...96).contains(style.size)
                else { return "list block \(field)" }
            case .qr(let field, let size, _, _):
                if !texts.contains(field) || !(min(10, width)...width).contains(size) { return "qr block \(field) \(size) in \(width)" }
            case .line(let length, _):
                if let length, !(1...width).contains(length) { return "line \(length) in \(width)" }
            case .space(let height):
                if !(0...500).contains(height) { return "space \(height)" }
            case .columns(let columns, let gap):
                let room = width - gap * Double(columns.count - 1)
                let shares = columns.map(\.share)
                guard !columns.isEmpty, (0...50).contains(gap), shares.allSatisfy({ $0 > 0 }), shares.reduce(0, +) <= 1 + 1e-9,
                      room >= 10 * Double(columns.count)
                else { return "columns \(shares) gap \(gap) in \(width)" }
                for column in columns {
                    if let problem = problem(in: column.blocks, width: room * column.share, form: form, texts: texts) { return problem }
                }
            }
        }
        return nil
    }

    /// Layouts rendered in a run: a render costs milliseconds, so only the first ones that load.
    static let renderedPerRun = 40

    @Test func theSeedsLoadAsTheirForms() throws {
        for (form, seed) in zip(Self.forms, Self.campaign.seeds) {
            let layout = try Layout(yaml: String(decoding: seed, as: UTF8.self), form: form, includesFrom: LayoutLoadingTests.folder)

            #expect(Self.problem(in: layout) == nil)
        }
    }

    @Test func everyFileLoadsAsASoundLayoutOrNamesALineOfItsFile() {
        let settings = FuzzSettings.current(defaultIterations: 3_000)
        var rendered = 0

        let report = Self.campaign.run(settings) { input in
            let form = Self.forms[input.seedIndex ?? input.iteration % Self.forms.count]
            let text = input.text
            do {
                let layout = try Layout(yaml: text, form: form, includesFrom: LayoutLoadingTests.folder)
                if let problem = Self.problem(in: layout) { return .violated("loaded, but \(problem)") }
                // Checked on load means it renders: a render error other than Cairo's own is a check missed.
                if rendered < Self.renderedPerRun {
                    rendered += 1
                    do {
                        _ = try layout.pdf(form.specimen)
                    } catch let error as LayoutRenderError {
                        if case .cairo = error {} else { return .violated("loaded, but does not render: \(error)") }
                    } catch {
                        return .violated("loaded, but does not render: \(error)")
                    }
                }
                return .accepted
            } catch let error as LayoutError {
                // The line is one of the file the error names: this input, or a file it includes.
                let named = error.file.map { try? String(contentsOf: Self.file($0), encoding: .utf8) } ?? text
                guard error.line >= 1, error.column >= 1, !error.message.isEmpty,
                      named.map({ error.line <= lineCount(of: $0) }) ?? true
                else { return .violated("refused at a place outside its file: \(error)") }
                if error.file != nil { return .refused("in an included file") }
                return .refused(error.message.hasPrefix("not valid YAML") || error.message.hasPrefix("the same key") ? "YAML" : "layout rules")
            } catch {
                return .violated("refused with another error than LayoutError: \(error)")
            }
        }
        print("fuzz layout file: \(rendered) loaded layouts rendered")

        #expect(report.shortcomings(acceptingAtLeast: 0.01) == [], "\(report)")
        // Not vacuous: some files load (above), and mutations get past the YAML into the layout rules.
        #expect(report.refusals["layout rules", default: 0] >= settings.iterations / 10, "\(report)")
    }
}
