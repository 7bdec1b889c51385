import PrintTestSupport
import Foundation
import Testing
@testable import MotcuaPrint

@Suite struct DeviceProfilesTests {
    static let printers = """
        printers:
          - id: kiosk-1-thermal
            queue: kiosk-1-thermal
            paperWidthMm: 80
            dpi: 203
            marginsMm: {top: 2, right: 4, bottom: 6, left: 4}
            format: raster
            cut: true
        """
    static let kiosks = """
        kiosks:
          - id: kiosk-1
            site: demo
            printer: kiosk-1-thermal
            idleTimeoutSeconds: 90
            languages: [vi, en]
        """
    static let displays = """
        displays:
          - id: display-tang-1
            hall: tang-1
            services: [A, B]
            audio: true
        """

    static func parse(printers: String = printers, kiosks: String = kiosks, displays: String = displays) throws -> DeviceProfiles {
        try DeviceProfiles.parse(
            printers: (printers, "devices/printers.yaml"),
            kiosks: (kiosks, "devices/kiosks.yaml"),
            displays: (displays, "devices/displays.yaml")
        )
    }

    @Test func theDemoCentresProfilesLoad() throws {
        let devices = try DeviceProfiles.load(directory: PrivateCupsd.packageRoot.appendingPathComponent("devices").path)

        let thermal = try #require(devices.printer(id: "kiosk-1-thermal"))
        #expect(thermal.queue == "kiosk-1-thermal")
        #expect(thermal.paperWidthMm == 80 && thermal.paperLengthMm == nil)
        #expect(thermal.printableWidthMm == 72)
        #expect(thermal.format == .raster && thermal.documentFormat == .png && thermal.cut)
        let a5 = try #require(devices.printer(id: "counter-a5"))
        #expect(a5.paperWidthMm == 148 && a5.paperLengthMm == 210 && a5.documentFormat == .pdf)
        let kiosk = try #require(devices.kiosk(id: "kiosk-1"))
        #expect(devices.printer(id: kiosk.printerId) == thermal)
        #expect(kiosk.languages == [.vi, .en])
        #expect(devices.displays.map(\.hall) == ["tang-1", "tang-2"])
        #expect(devices.displays.map(\.audio) == [true, false])
    }

    @Test func aMissingFileMeansNoDevicesOfThatKind() throws {
        let devices = try DeviceProfiles.parse(printers: nil, kiosks: nil, displays: (Self.displays, "displays.yaml"))

        #expect(devices.printers.isEmpty && devices.kiosks.isEmpty)
        #expect(devices.displays.count == 1)
    }

    struct HostileFile: CustomTestStringConvertible, Sendable {
        enum Kind: Sendable { case printers, kiosks, displays }
        let name: String
        let kind: Kind
        let text: String
        let expected: DeviceProfileError

        init(_ name: String, _ kind: Kind, _ text: String, _ expected: DeviceProfileError) {
            self.name = name
            self.kind = kind
            self.text = text
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let hostileFiles: [HostileFile] = [
        HostileFile(
            "a kiosk's printer must exist", .kiosks, kiosks.replacingOccurrences(of: "printer: kiosk-1-thermal", with: "printer: kiosk-9-thermal"),
            DeviceProfileError(file: "devices/kiosks.yaml", line: 4, column: 14, key: "kiosks[0].printer",
                               problem: "unknown printer 'kiosk-9-thermal'; known printers: kiosk-1-thermal")
        ),
        HostileFile(
            "a negative paper width", .printers, printers.replacingOccurrences(of: "paperWidthMm: 80", with: "paperWidthMm: -80"),
            DeviceProfileError(file: "devices/printers.yaml", line: 4, column: 19, key: "printers[0].paperWidthMm",
                               problem: "'-80' is not a length from 20.0 to 500.0 mm")
        ),
        HostileFile(
            "an unknown language", .kiosks, kiosks.replacingOccurrences(of: "[vi, en]", with: "[vi, fr]"),
            DeviceProfileError(file: "devices/kiosks.yaml", line: 6, column: 21, key: "kiosks[0].languages",
                               problem: "'fr' is not one of vi, en")
        ),
        HostileFile(
            "a misspelt key", .printers, printers.replacingOccurrences(of: "dpi:", with: "dpii:"),
            DeviceProfileError(file: "devices/printers.yaml", line: 5, column: 5, key: "printers[0].dpii",
                               problem: "unknown key; expected one of id, queue, paperWidthMm, paperLengthMm, dpi, marginsMm, format, cut")
        ),
        HostileFile(
            "a missing key, at its entry", .displays, displays.replacingOccurrences(of: "    audio: true\n", with: "").replacingOccurrences(of: "    audio: true", with: ""),
            DeviceProfileError(file: "devices/displays.yaml", line: 2, column: 5, key: "displays[0].audio", problem: "missing")
        ),
        HostileFile(
            "margins wider than the paper", .printers, printers.replacingOccurrences(of: "right: 4", with: "right: 40").replacingOccurrences(of: "left: 4", with: "left: 35"),
            DeviceProfileError(file: "devices/printers.yaml", line: 6, column: 16, key: "printers[0].marginsMm",
                               problem: "left and right margins leave 5.0 mm of a 80.0 mm page; at least 10 mm must remain")
        ),
        HostileFile(
            "a format that is neither pdf nor raster", .printers, printers.replacingOccurrences(of: "format: raster", with: "format: postscript"),
            DeviceProfileError(file: "devices/printers.yaml", line: 7, column: 13, key: "printers[0].format",
                               problem: "'postscript' is not one of pdf, raster")
        ),
        HostileFile(
            "a queue name CUPS would refuse", .printers, printers.replacingOccurrences(of: "queue: kiosk-1-thermal", with: "queue: \"kiosk 1\""),
            DeviceProfileError(file: "devices/printers.yaml", line: 3, column: 12, key: "printers[0].queue",
                               problem: "'kiosk 1' is not a CUPS queue name (printable ASCII without space, /, #, quotes or \\)")
        ),
        HostileFile(
            "two displays with one id", .displays, displays + "\n  - id: display-tang-1\n    hall: tang-2\n    services: [K]\n    audio: false",
            DeviceProfileError(file: "devices/displays.yaml", line: 6, column: 9, key: "displays[1].id",
                               problem: "'display-tang-1' is already used at line 2")
        ),
        HostileFile(
            "a service listed twice", .displays, displays.replacingOccurrences(of: "[A, B]", with: "[A, B, A]"),
            DeviceProfileError(file: "devices/displays.yaml", line: 4, column: 22, key: "displays[0].services",
                               problem: "'A' is listed twice")
        ),
        HostileFile(
            "an idle timeout that is not a whole number", .kiosks, kiosks.replacingOccurrences(of: "idleTimeoutSeconds: 90", with: "idleTimeoutSeconds: 1.5"),
            DeviceProfileError(file: "devices/kiosks.yaml", line: 5, column: 25, key: "kiosks[0].idleTimeoutSeconds",
                               problem: "'1.5' is not a whole number from 10 to 3600")
        ),
        HostileFile(
            "kiosks written into the printers file", .printers, kiosks,
            DeviceProfileError(file: "devices/printers.yaml", line: 1, column: 1, key: "kiosks",
                               problem: "unknown key; expected one of printers")
        ),
        HostileFile(
            "a list where a mapping belongs", .printers, "printers:\n  - [kiosk-1-thermal, 80]",
            DeviceProfileError(file: "devices/printers.yaml", line: 2, column: 5, key: "printers[0]",
                               problem: "expected a mapping of keys to values")
        ),
        HostileFile(
            "broken YAML", .kiosks, "kiosks:\n  - id: kiosk-1\n    languages: [vi, en\n",
            DeviceProfileError(file: "devices/kiosks.yaml", line: 4, column: 1, key: "(file)",
                               problem: "not valid YAML: did not find expected ',' or ']'")
        ),
        // Found by fuzzing: a control character was reported on line 0, which means "the file
        // cannot be read", and a problem at the end of a file without a final line break on a
        // line after its last.
        HostileFile(
            "a control character", .kiosks, kiosks.replacingOccurrences(of: "kiosk-1\n", with: "kiosk-1\u{2}"),
            DeviceProfileError(file: "devices/kiosks.yaml", line: 2, column: 16, key: "(file)",
                               problem: "not valid YAML: control characters are not allowed")
        ),
        HostileFile(
            "a flow left open at the end", .displays, "dimotcuasplays:\n  - id: display-tang-1\n    audio: true\n    services:: { [A, B]",
            DeviceProfileError(file: "devices/displays.yaml", line: 4, column: 24, key: "(file)",
                               problem: "not valid YAML: did not find expected ',' or '}'")
        ),
        // Found by fuzzing: an empty key was named as nothing (": unknown key").
        HostileFile(
            "an anchor where the key was", .displays, "&isplays:\n  - id: display-tang-1\n    hall: tang-1\n    services: [A, B]\n    orderaudio: true",
            DeviceProfileError(file: "devices/displays.yaml", line: 1, column: 1, key: "''", problem: "unknown key; expected one of displays")
        ),
    ]

    @Test(arguments: hostileFiles)
    func aHostileFileIsRefusedNamingFileLineAndKey(file: HostileFile) {
        #expect(throws: file.expected) {
            switch file.kind {
            case .printers: try Self.parse(printers: file.text)
            case .kiosks: try Self.parse(kiosks: file.text)
            case .displays: try Self.parse(displays: file.text)
            }
        }
    }

    /// Found by probing the loader with the fuzzer's alias tokens: displays sharing one long
    /// list of services by alias made every display re-read it, each read checking every
    /// service against all before it; a 15 KB file took seconds, a 64 KB one minutes.
    @Test func aListRepeatedByAliasesPastTheFilesSizeIsRefused() {
        let services = (0..<2_000).map { "s\($0)" }.joined(separator: ", ")
        let displays = "displays:\n  - {id: d0, hall: h, services: &s [\(services)], audio: true}\n"
            + (1..<50).map { "  - {id: d\($0), hall: h, services: *s, audio: true}\n" }.joined()

        let error = #expect(throws: DeviceProfileError.self) { try Self.parse(displays: displays) }

        #expect(error?.problem.hasPrefix("aliases (*name) repeat their anchors so often that the file would hold over") == true)
        #expect(error?.line == 2)
    }

    @Test func theErrorReadsAsFileLineColumnKeyAndProblem() {
        let error = DeviceProfileError(file: "devices/kiosks.yaml", line: 6, column: 20, key: "kiosks[0].languages", problem: "'fr' is not one of vi, en")

        #expect("\(error)" == "devices/kiosks.yaml:6:20: kiosks[0].languages: 'fr' is not one of vi, en")
    }
}
