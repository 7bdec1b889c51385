import Yams

/// Where a YAML problem is, as the person fixing the file counts: line and column from 1,
/// the column in Unicode scalars as libyaml counts it.
public struct YAMLPlace: Equatable, Sendable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

extension YamlError {
    /// The place of the problem on a line of the text, or nil for errors that have none
    /// (memory, emitter). libyaml reports a problem found at the very end of a text without
    /// a final line break on the line after the last one, and a reader problem (a control
    /// character) by offset only: both are brought onto the text's own lines, so a loader
    /// never names a line the file does not have.
    public var place: YAMLPlace? {
        switch self {
        case .scanner(_, _, let mark, let yaml), .parser(_, _, let mark, let yaml), .composer(_, _, let mark, let yaml):
            let lengths = Self.lineLengths(yaml.unicodeScalars)
            guard mark.line > lengths.count else { return YAMLPlace(line: mark.line, column: mark.column) }
            return YAMLPlace(line: lengths.count, column: lengths[lengths.count - 1] + 1)
        case .reader(_, let offset?, _, let yaml):
            // Yams gives the offset in characters.
            let before = yaml.prefix(offset)
            let lengths = Self.lineLengths(before.unicodeScalars)
            return YAMLPlace(line: lengths.count, column: lengths[lengths.count - 1] + 1)
        case .duplicatedKeysInMapping(_, let context):
            return YAMLPlace(line: context.mark.line, column: context.mark.column)
        default:
            return nil
        }
    }

    /// The length in scalars of each line, breaking where libyaml does: \n, \r\n, a lone \r,
    /// NEL, LS and PS. Never empty: a text without breaks is one line.
    private static func lineLengths(_ scalars: some Sequence<Unicode.Scalar>) -> [Int] {
        var lengths = [0]
        var previous: Unicode.Scalar?
        for scalar in scalars {
            switch scalar {
            case "\n" where previous == "\r":
                break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                lengths.append(0)
            default:
                lengths[lengths.count - 1] += 1
            }
            previous = scalar
        }
        return lengths
    }
}
