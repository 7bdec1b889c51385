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
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        sink(String(decoding: data, as: UTF8.self))
    }

    private static let standardErrorLock = NIOLock()

    public static let standardError: Sink = { line in
        standardErrorLock.withLock {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
