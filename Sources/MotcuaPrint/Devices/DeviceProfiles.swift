import Foundation
import Yams

/// A printer the site owns, and how to lay out pages for it.
public struct PrinterProfile: Sendable, Hashable {
    public enum Format: String, Sendable, CaseIterable {
        /// The CUPS queue renders PDF itself (a driver, or a PDF printer).
        case pdf
        /// We render a bitmap at the printer's dpi: cheap thermal printers print it sharper.
        case raster
    }

    public struct Margins: Sendable, Hashable {
        public let top, right, bottom, left: Double
    }

    public let id: String
    /// The CUPS queue jobs go to.
    public let queue: String
    public let paperWidthMm: Double
    /// Nil for roll paper: a page is as long as its content.
    public let paperLengthMm: Double?
    public let dpi: Int
    public let marginsMm: Margins
    public let format: Format
    /// Cut the paper after each job (roll printers with a cutter).
    public let cut: Bool

    public var printableWidthMm: Double { paperWidthMm - marginsMm.left - marginsMm.right }

    public var documentFormat: DocumentFormat {
        switch format {
        case .pdf: .pdf
        case .raster: .png
        }
    }
}

/// A touch kiosk and the printer beside it.
public struct KioskProfile: Sendable, Hashable {
    public enum Language: String, Sendable, CaseIterable {
        case vi, en
    }

    public let id: String
    public let site: String
    public let printerId: String
    /// After this long untouched, the kiosk drops the citizen's data and starts over.
    public let idleTimeoutSeconds: Int
    /// In the order the kiosk offers them; the first is the default.
    public let languages: [Language]
}

/// A queue board on a hall's screen.
public struct DisplayProfile: Sendable, Hashable {
    public let id: String
    public let hall: String
    /// Service ids whose calls it shows.
    public let services: [String]
    /// Speak the calls (espeak-ng) as well as show them.
    public let audio: Bool
}

/// The site's devices, read from `devices/printers.yaml`, `kiosks.yaml` and
/// `displays.yaml` and checked together: a kiosk's printer must exist.
public struct DeviceProfiles: Sendable, Hashable {
    public let printers: [PrinterProfile]
    public let kiosks: [KioskProfile]
    public let displays: [DisplayProfile]

    public static let printersFile = "printers.yaml"
    public static let kiosksFile = "kiosks.yaml"
    public static let displaysFile = "displays.yaml"

    public func printer(id: String) -> PrinterProfile? {
        printers.first { $0.id == id }
    }

    public func kiosk(id: String) -> KioskProfile? {
        kiosks.first { $0.id == id }
    }

    /// The services shown in each hall: those of every display hung there.
    public var hallServices: [String: Set<String>] {
        displays.reduce(into: [:]) { halls, display in halls[display.hall, default: []].formUnion(display.services) }
    }

    /// Reads the three files from `directory`; a missing file means no devices of that kind
    /// (a centre node has no printers).
    public static func load(directory: String) throws -> DeviceProfiles {
        func read(_ name: String) throws -> (text: String, path: String)? {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            do {
                return (try String(contentsOfFile: path, encoding: .utf8), path)
            } catch {
                throw DeviceProfileError(file: path, line: 0, column: 0, key: "(file)", problem: "cannot be read: \(error.localizedDescription)")
            }
        }
        return try parse(printers: read(printersFile), kiosks: read(kiosksFile), displays: read(displaysFile))
    }

    /// Each file's text and the path its errors should name.
    public static func parse(
        printers: (text: String, path: String)?,
        kiosks: (text: String, path: String)?,
        displays: (text: String, path: String)?
    ) throws -> DeviceProfiles {
        func entries(_ file: (text: String, path: String)?, _ kind: String) throws -> [ProfileEntry] {
            guard let file else { return [] }
            return try ProfileFile(text: file.text, path: file.path).entries(kind)
        }
        let printerProfiles = try unique(entries(printers, "printers").map(printer))
        let printerIds = printerProfiles.map(\.id)
        return DeviceProfiles(
            printers: printerProfiles,
            kiosks: try unique(entries(kiosks, "kiosks").map { try kiosk($0, printerIds: printerIds) }),
            displays: try unique(entries(displays, "displays").map(display))
        )
    }

    private static func printer(_ entry: ProfileEntry) throws -> (ProfileEntry, PrinterProfile) {
        try entry.allowOnly(["id", "queue", "paperWidthMm", "paperLengthMm", "dpi", "marginsMm", "format", "cut"])
        let width = try entry.millimetres("paperWidthMm", within: 20...500)
        let marginsNode = try entry.required("marginsMm")
        let margins = try ProfileEntry(file: entry.file, key: "\(entry.key).marginsMm", node: marginsNode)
        try margins.allowOnly(["top", "right", "bottom", "left"])
        let profile = try PrinterProfile(
            id: entry.identifier("id"),
            queue: queueName(entry),
            paperWidthMm: width,
            paperLengthMm: entry.optional("paperLengthMm").map { try entry.millimetres(at: $0, "paperLengthMm", within: 20...2000) },
            dpi: entry.integer("dpi", within: 72...2400),
            marginsMm: PrinterProfile.Margins(
                top: margins.millimetres("top", within: 0...50), right: margins.millimetres("right", within: 0...50),
                bottom: margins.millimetres("bottom", within: 0...50), left: margins.millimetres("left", within: 0...50)
            ),
            format: entry.choice("format"),
            cut: entry.flag("cut")
        )
        guard profile.printableWidthMm >= 10 else {
            throw entry.error(at: marginsNode, "marginsMm", "left and right margins leave \(profile.printableWidthMm) mm of a \(width) mm page; at least 10 mm must remain")
        }
        return (entry, profile)
    }

    /// CUPS takes up to 127 printable characters except space, / and #; quotes and
    /// backslashes would need escaping in lpadmin and in printers.conf.
    private static func queueName(_ entry: ProfileEntry) throws -> String {
        let value = try entry.required("queue")
        guard let name = value.scalar?.string, (1...127).contains(name.count),
              name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && !"/#\\'\"".unicodeScalars.contains($0) })
        else {
            throw entry.error(at: value, "queue", "'\(value.scalar?.string ?? "")' is not a CUPS queue name (printable ASCII without space, /, #, quotes or \\)")
        }
        return name
    }

    private static func kiosk(_ entry: ProfileEntry, printerIds: [String]) throws -> (ProfileEntry, KioskProfile) {
        try entry.allowOnly(["id", "site", "printer", "idleTimeoutSeconds", "languages"])
        let printer = try entry.identifier("printer")
        guard printerIds.contains(printer) else {
            let known = printerIds.isEmpty ? "no printers are defined" : "known printers: \(printerIds.joined(separator: ", "))"
            throw entry.error(at: try entry.required("printer"), "printer", "unknown printer '\(printer)'; \(known)")
        }
        return (entry, KioskProfile(
            id: try entry.identifier("id"),
            site: try entry.identifier("site"),
            printerId: printer,
            idleTimeoutSeconds: try entry.integer("idleTimeoutSeconds", within: 10...3600),
            languages: try entry.list("languages") { try entry.choice("languages", at: $0) }
        ))
    }

    private static func display(_ entry: ProfileEntry) throws -> (ProfileEntry, DisplayProfile) {
        try entry.allowOnly(["id", "hall", "services", "audio"])
        return (entry, DisplayProfile(
            id: try entry.identifier("id"),
            hall: try entry.identifier("hall"),
            services: try entry.list("services") { item in
                guard let id = item.scalar?.string, !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw entry.error(at: item, "services", "'\(item.scalar?.string ?? "")' is not a service id (letters and digits)")
                }
                return id
            },
            audio: try entry.flag("audio")
        ))
    }

    /// Ids name devices in URLs and logs: two devices of a kind may not share one.
    private static func unique<Profile: Identifiable>(_ read: [(ProfileEntry, Profile)]) throws -> [Profile] where Profile.ID == String {
        var lines: [String: Int] = [:]
        for (entry, profile) in read {
            let idNode = try entry.required("id")
            if let first = lines[profile.id] {
                throw entry.error(at: idNode, "id", "'\(profile.id)' is already used at line \(first)")
            }
            lines[profile.id] = idNode.mark?.line ?? 0
        }
        return read.map(\.1)
    }
}

extension PrinterProfile: Identifiable {}
extension KioskProfile: Identifiable {}
extension DisplayProfile: Identifiable {}
