import Foundation
import FuzzSupport
import MotcuaCore
import Testing
import Yams
@testable import MotcuaStore

/// The catalog loader fuzzed (issue "Hardening"): the demo catalog's procedures mutated, one
/// by one, in pairs and whole. Whatever loads must pass the catalog check and read back the
/// same when written out again; whatever is refused must locate every problem on a line of
/// the file. `MOTCUA_FUZZ_ITERATIONS` and `MOTCUA_FUZZ_SEED` change the run; inputs are
/// bounded, so a hang shows as this test never finishing.
@Suite struct ProcedureFileFuzzTests {
    /// The demo file's procedures, each as its own file (the lines from one `- code:` to the next).
    static let procedures: [String] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/MotcuaStore/Demo/procedures.yaml")
        let lines = try! String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let starts = lines.indices.filter { lines[$0].hasPrefix("- ") }
        return zip(starts, starts.dropFirst() + [lines.endIndex]).map { lines[$0..<$1].joined(separator: "\n") }
    }()

    /// Single procedures are quick to read, so most seeds are; a pair and the whole file reach
    /// the checks across procedures (duplicate codes).
    static let campaign = FuzzCampaign(
        "procedure catalog",
        seeds: procedures + [procedures[0] + "\n" + procedures[1], procedures.joined(separator: "\n")],
        alphabet: ["\n", "\n  ", "\n    ", "\n      ", "- ", ": ", "[", "]", "{", "}", ", ", "#", "\"", "'", "0", "1", "-1", "15:00",
                   "code", "name", "nameEn", "field", "agency", "level", "commune", "serviceId", "A", "processingDays", "fees",
                   "amount", "documents", "originals", "copies", "eform", "id", "type", "text", "choice", "choices", "value",
                   "label", "labelEn", "askedWhen", "requiredWhen", "equals", "yes", "source", "resultDelivery", "desk"],
        extraTokens: ["receptionCutoff: \"15:00\"", "receptionCutoff: \"24:00\"", "requiredWhen: {field: authorised, equals: yes}",
                      "resultDelivery: [desk, post, desk]", "processingDays: -1", "code: \"1.001193\"", "pattern: \"[\""]
    )
    static let serviceIds: Set<String> = ["A", "B", "C"]

    /// Stable codes: `yaml_syntax`, `unknown_key`, a `CatalogProblem` code.
    private static func isProblemCode(_ code: String) -> Bool {
        !code.isEmpty && code.allSatisfy { $0 == "_" || ("a"..."z").contains($0) }
    }

    @Test func theSeedsLoadAndReadBackTheSame() throws {
        for seed in Self.campaign.seeds {
            let procedures = try ProcedureFile.decode(String(decoding: seed, as: UTF8.self), file: "seed.yaml", serviceIds: Self.serviceIds)

            #expect(try ProcedureFile.decode(YAMLEncoder().encode(procedures), file: "again.yaml") == procedures)
        }
    }

    @Test func everyFileLoadsAsACheckedCatalogOrLocatesEveryProblem() {
        let settings = FuzzSettings.current(defaultIterations: 1_500)

        let report = Self.campaign.run(settings) { input in
            let text = input.text
            do {
                let procedures = try ProcedureFile.decode(text, file: "fuzz.yaml", serviceIds: Self.serviceIds)
                // Loaded means checked: the catalog check finds nothing more to say.
                let problems = ProcedureCatalog.problems(in: procedures, serviceIds: Self.serviceIds)
                guard problems.isEmpty else { return .violated("loaded, but the catalog check finds \(problems)") }
                // Nothing is lost or changed on the way in: written out again, the file reads the same.
                guard let written = try? YAMLEncoder().encode(procedures),
                      (try? ProcedureFile.decode(written, file: "again.yaml")) == procedures
                else { return .violated("loaded, but reads back differently") }
                return .accepted
            } catch let error as ProcedureFile.Problems {
                let lines = lineCount(of: text)
                let places = error.problems.map { ($0.line ?? 0, $0.column ?? 0) }
                guard !error.problems.isEmpty, error.file == "fuzz.yaml", zip(places, places.dropFirst()).allSatisfy({ $0 <= $1 }),
                      places.allSatisfy({ (1...lines).contains($0.0) && $0.1 >= 1 }),
                      error.problems.allSatisfy({ Self.isProblemCode($0.code) && !$0.vi.isEmpty && !$0.en.isEmpty })
                else { return .violated("refused, but a problem is out of place or incomplete: \(error)") }
                return .refused(error.problems[0].code)
            } catch {
                return .violated("refused with another error than ProcedureFile.Problems: \(error)")
            }
        }

        #expect(report.shortcomings(acceptingAtLeast: 0.01) == [], "\(report)")
        // Not vacuous: some files load (above), and mutations get past the YAML into the
        // decoding and the catalog check.
        #expect(report.refused - report.refusals["yaml_syntax", default: 0] >= settings.iterations / 10, "\(report)")
    }
}
