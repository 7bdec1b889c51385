import Foundation
import Logging
import MotcuaCore
import NIOConcurrencyHelpers

/// Writes each log event as one JSON object per line, with every string passed through
/// `Redaction.scrub` on the way out, so a stray ID or phone number never reaches the log.
public struct JSONLinesLogHandler: LogHandler {
    public typealias Sink = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: Sink

    public init(label: String, level: Logger.Level, sink: @escaping Sink = JSONLinesLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        let provided = metadataProvider?.get() ?? [:]
        for (key, value) in metadata.merging(provided, uniquingKeysWith: { $1 }).merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = Redaction.scrub(value.description)
        }
        if let error = event.error {
            fields["error"] = Redaction.scrub(String(describing: error))
        }
        fields["ts"] = Date().formatted(.iso8601)
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["msg"] = Redaction.scrub(event.message.description)
        sink(Self.jsonObject(fields))
    }

    /// `fields` as one JSON object, keys in code-point order, written by hand:
    /// JSONSerialization's `.sortedKeys` compares keys with the system locale, which loads
    /// ICU's collation data into every server on its first log line.
    static func jsonObject(_ fields: [String: String]) -> String {
        var line = "{"
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { line += "," }
            appendQuoted(key, to: &line)
            line += ":"
            appendQuoted(fields[key] ?? "", to: &line)
        }
        return line + "}"
    }

    private static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }

    private static let standardErrorLock = NIOLock()

    public static let standardError: Sink = { line in
        standardErrorLock.withLock {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
