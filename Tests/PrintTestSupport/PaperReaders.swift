import Dispatch
import Foundation

// Independent readers of what Motcua prints: poppler reads PDFs back as text and images,
// zbar decodes QR codes. A missing tool fails the test that needs it, never skips it.

struct MissingTool: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path) is not installed (Debian: poppler-utils, zbar-tools)" }
}

/// Runs a tool by path on a file holding `input`, returning what it printed. The wait
/// happens on a dispatch thread, so tests that read paper never hold Swift's cooperative
/// pool (other tests measure that the product keeps it free).
func run(_ path: String, _ arguments: [String], input: Data, suffix: String) async throws -> Data {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runBlocking(path, arguments, input: input, suffix: suffix) })
        }
    }
}

private func runBlocking(_ path: String, _ arguments: [String], input: Data, suffix: String) throws -> Data {
    guard FileManager.default.isExecutableFile(atPath: path) else { throw MissingTool(path: path) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString).\(suffix)")
    try input.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments.map { $0 == "{}" ? file.path : $0 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}

public enum Poppler {
    public static func text(of pdf: Data, page: Int? = nil) async throws -> String {
        let pages = page.map { ["-f", "\($0)", "-l", "\($0)"] } ?? []
        return String(decoding: try await run("/usr/bin/pdftotext", pages + ["-enc", "UTF-8", "{}", "-"], input: pdf, suffix: "pdf"), as: UTF8.self)
    }

    public static func info(of pdf: Data) async throws -> [String: String] {
        let text = String(decoding: try await run("/usr/bin/pdfinfo", ["{}"], input: pdf, suffix: "pdf"), as: UTF8.self)
        var info: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            info[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return info
    }

    /// In points, of the first page: "226.772 x 412.5 pts".
    public static func pageSize(of pdf: Data) async throws -> (width: Double, height: Double) {
        let parts = try await info(of: pdf)["Page size"]?.split(separator: " ") ?? []
        return (Double(parts.first ?? "") ?? 0, Double(parts.dropFirst(2).first ?? "") ?? 0)
    }

    public static func png(of pdf: Data, dpi: Int) async throws -> Data {
        try await run("/usr/bin/pdftoppm", ["-r", "\(dpi)", "-png", "-singlefile", "-f", "1", "-l", "1", "{}"], input: pdf, suffix: "pdf")
    }

    public struct Word {
        public let text: String
        public let xMax: Double
        public let yMax: Double
    }

    public static func wordBoxes(of pdf: Data) async throws -> [Word] {
        let html = String(decoding: try await run("/usr/bin/pdftotext", ["-bbox", "{}", "-"], input: pdf, suffix: "pdf"), as: UTF8.self)
        let pattern = /<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/
        return html.matches(of: pattern).map { Word(text: String($0.3), xMax: Double($0.1)!, yMax: Double($0.2)!) }
    }
}

public enum Zbar {
    public static func decode(png: Data) async throws -> String {
        let output = try await run("/usr/bin/zbarimg", ["--raw", "-q", "{}"], input: png, suffix: "png")
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
