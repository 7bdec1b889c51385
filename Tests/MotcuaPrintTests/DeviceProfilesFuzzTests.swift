import Foundation
import FuzzSupport
import PrintTestSupport
import Testing
@testable import MotcuaPrint

/// The device file loader fuzzed (issue "Hardening"): one of the three files mutated, the
/// other two as shipped. Whatever loads must read back the same when written out again;
/// whatever is refused must name a line of the file at fault. `MOTCUA_FUZZ_ITERATIONS` and
/// `MOTCUA_FUZZ_SEED` change the run; inputs are bounded, so a hang shows as this test never
/// finishing.
@Suite struct DeviceProfilesFuzzTests {
    static let names = [DeviceProfiles.printersFile, DeviceProfiles.kiosksFile, DeviceProfiles.displaysFile]
    static let shipped = names.map { name in
        try! String(contentsOf: PrivateCupsd.packageRoot.appendingPathComponent("devices/\(name)"), encoding: .utf8)
    }
    /// Seed `i` is a file of kind `i % 3`: the shipped files, then the tests' own.
    static let campaign = FuzzCampaign(
        "device files",
        seeds: shipped + [DeviceProfilesTests.printers, DeviceProfilesTests.kiosks, DeviceProfilesTests.displays],
        alphabet: ["\n", "\n  ", "\n    ", "- ", ": ", "[", "]", "{", "}", ", ", "#", "'", "\"", "0", "4", "80", "203", ".5",
                   "printers", "kiosks", "displays", "id", "queue", "paperWidthMm", "dpi", "marginsMm", "top", "left", "format",
                   "raster", "pdf", "cut", "true", "site", "printer", "languages", "vi", "en", "services", "A", "audio", "hall"],
        extraTokens: ["kiosk-1-thermal", "counter-a5", "paperLengthMm: 210", "printer: counter-a5", "idleTimeoutSeconds: 3600"]
    )

    /// The profiles written as the three files, every text quoted, so nothing is read as a number or a flag.
    static func files(of devices: DeviceProfiles) -> [String] {
        func quoted(_ text: String) -> String { "'\(text)'" }
        func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }
        let printers = devices.printers.map { printer in
            let margins = printer.marginsMm
            return """
                  - id: \(quoted(printer.id))
                    queue: \(quoted(printer.queue))
                    paperWidthMm: \(printer.paperWidthMm)
                    \(printer.paperLengthMm.map { "paperLengthMm: \($0)" } ?? "")
                    dpi: \(printer.dpi)
                    marginsMm: {top: \(margins.top), right: \(margins.right), bottom: \(margins.bottom), left: \(margins.left)}
                    format: \(printer.format.rawValue)
                    cut: \(printer.cut)
                """
        }
        let kiosks = devices.kiosks.map { kiosk in
            """
              - id: \(quoted(kiosk.id))
                site: \(quoted(kiosk.site))
                printer: \(quoted(kiosk.printerId))
                idleTimeoutSeconds: \(kiosk.idleTimeoutSeconds)
                languages: \(list(kiosk.languages.map(\.rawValue)))
            """
        }
        let displays = devices.displays.map { display in
            """
              - id: \(quoted(display.id))
                hall: \(quoted(display.hall))
                services: \(list(display.services))
                audio: \(display.audio)
            """
        }
        return zip(["printers", "kiosks", "displays"], [printers, kiosks, displays]).map { kind, entries in
            "\(kind):" + (entries.isEmpty ? " []" : "\n" + entries.joined(separator: "\n"))
        }
    }

    static func parse(_ files: [String]) throws -> DeviceProfiles {
        try DeviceProfiles.parse(printers: (files[0], names[0]), kiosks: (files[1], names[1]), displays: (files[2], names[2]))
    }

    /// What the rest of the site relies on: ids usable in URLs, one device per id, a printer
    /// for every kiosk, paper left to print on.
    private static func problem(in devices: DeviceProfiles) -> String? {
        func isIdentifier(_ text: String) -> Bool {
            (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
        let ids = [devices.printers.map(\.id), devices.kiosks.map(\.id), devices.displays.map(\.id)]
        guard ids.allSatisfy({ Set($0).count == $0.count && $0.allSatisfy(isIdentifier) }) else { return "ids \(ids)" }
        for printer in devices.printers {
            guard printer.printableWidthMm >= 10, (20...500).contains(printer.paperWidthMm), (72...2400).contains(printer.dpi),
                  !printer.queue.isEmpty, printer.queue.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
            else { return "printer \(printer)" }
        }
        for kiosk in devices.kiosks {
            guard devices.printer(id: kiosk.printerId) != nil, isIdentifier(kiosk.site), (10...3600).contains(kiosk.idleTimeoutSeconds),
                  !kiosk.languages.isEmpty, Set(kiosk.languages).count == kiosk.languages.count
            else { return "kiosk \(kiosk)" }
        }
        for display in devices.displays {
            guard isIdentifier(display.hall), !display.services.isEmpty, Set(display.services).count == display.services.count
            else { return "display \(display)" }
        }
        return nil
    }

    @Test func theSeedsLoadAndReadBackTheSame() throws {
        let seeds = Self.campaign.seeds.map { String(decoding: $0, as: UTF8.self) }

        let shipped = try Self.parse(Array(seeds[0..<3]))
        let tests = try Self.parse(Array(seeds[3..<6]))

        #expect(try Self.parse(Self.files(of: shipped)) == shipped)
        #expect(try Self.parse(Self.files(of: tests)) == tests)
        #expect(Self.problem(in: shipped) == nil && Self.problem(in: tests) == nil)
    }

    @Test func everyFileLoadsAsSoundProfilesOrNamesALineOfItsFile() {
        let settings = FuzzSettings.current(defaultIterations: 4_000)

        let report = Self.campaign.run(settings) { input in
            var files = Self.shipped
            files[(input.seedIndex ?? input.iteration) % 3] = input.text
            do {
                let devices = try Self.parse(files)
                if let problem = Self.problem(in: devices) { return .violated("loaded, but \(problem)") }
                // Nothing is lost or changed on the way in: written out again, the files read the same.
                guard (try? Self.parse(Self.files(of: devices))) == devices else { return .violated("loaded, but reads back differently") }
                return .accepted
            } catch let error as DeviceProfileError {
                guard let file = Self.names.firstIndex(of: error.file), (1...lineCount(of: files[file])).contains(error.line),
                      error.column >= 1, !error.key.isEmpty, !error.problem.isEmpty
                else { return .violated("refused at a place outside its file: \(error)") }
                return .refused(error.problem.hasPrefix("not valid YAML") ? "YAML" : "profile rules")
            } catch {
                return .violated("refused with another error than DeviceProfileError: \(error)")
            }
        }

        #expect(report.shortcomings(acceptingAtLeast: 0.01) == [], "\(report)")
        // Not vacuous: some files load (above), and mutations get past the YAML into the profile rules.
        #expect(report.refusals["profile rules", default: 0] >= settings.iterations / 10, "\(report)")
    }
}
