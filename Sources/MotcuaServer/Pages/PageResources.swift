import Crypto
import MotcuaCore
import Foundation
import Mustache
import MotcuaYAML
import Yams

/// What the pages are made of, read once at start-up from `layouts/pages/`: the mustache
/// templates, the texts in each language (`strings/`) and the assets (scripts, styles)
/// served as they are. Editing them needs a restart, not a rebuild.
struct PageResources: Sendable {
    enum Language: String, CaseIterable, Sendable {
        case vi, en
    }

    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        /// A strong validator, so a kiosk's reload costs a 304.
        let etag: String
    }

    let templates: MustacheLibrary
    /// Per language: section (`common`, `kiosk`, …) → key → text.
    let strings: [Language: [String: [String: String]]]
    let assets: [String: Asset]

    static let contentTypes = [
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml", "png": "image/png",
        "wav": "audio/wav", "ico": "image/x-icon",
    ]

    static func load(directory: String) async throws -> PageResources {
        let templates = try await MustacheLibrary(directory: directory)
        let strings = try Self.strings(directory: (directory as NSString).appendingPathComponent("strings"))
        var assets: [String: Asset] = [:]
        let assetDirectory = (directory as NSString).appendingPathComponent("assets")
        for name in try FileManager.default.contentsOfDirectory(atPath: assetDirectory) {
            let ext = (name as NSString).pathExtension
            guard let contentType = contentTypes[ext] else { continue }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: (assetDirectory as NSString).appendingPathComponent(name))))
            let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
            assets[name] = Asset(bytes: bytes, contentType: contentType, etag: "\"\(digest)\"")
        }
        return PageResources(templates: templates, strings: strings, assets: assets)
    }

    /// Reads `strings/<section>.yaml`, each `key: {vi: …, en: …}` (one file per page, and
    /// `common`); a text missing in either language is an error that names it, so no page
    /// ever shows a key instead of words.
    static func strings(directory: String) throws -> [Language: [String: [String: String]]] {
        var strings: [Language: [String: [String: String]]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".yaml") {
            let file = (directory as NSString).appendingPathComponent(name)
            let section = String(name.dropLast(".yaml".count))
            guard let entries = try Yams.load(yaml: try String(contentsOfFile: file, encoding: .utf8), .plain) as? [String: [String: String]] else {
                throw PageResourceError(file: file, problem: "expected key: {vi: text, en: text}")
            }
            for (key, texts) in entries {
                for language in Language.allCases {
                    guard let text = texts[language.rawValue], !text.isEmpty else {
                        throw PageResourceError(file: file, problem: "\(key) has no \(language.rawValue) text")
                    }
                    strings[language, default: [:]][section, default: [:]][key] = VietnameseText.nfc(text)
                }
            }
        }
        return strings
    }
}

struct PageResourceError: Error, CustomStringConvertible {
    let file: String
    let problem: String
    var description: String { "\(file): \(problem)" }
}
