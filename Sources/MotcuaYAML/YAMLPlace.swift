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

extension Node {
    /// How many values a file of `text` may hold once its aliases are expanded: about twice
    /// what it could spell out without them. Aliases that repeat aliases (a "billion laughs")
    /// otherwise make a few hundred bytes into a tree that no reader finishes walking.
    public static func expansionLimit(for text: String) -> Int {
        1_000 + 2 * text.utf8.count
    }

    /// The node at which a walk of this tree, each alias walked as the node it repeats,
    /// passes `limit` values; nil when the tree has no more. The walk stops there, so it
    /// costs at most `limit` steps however much the aliases would expand.
    public func firstNode(beyond limit: Int) -> Node? {
        var count = 0
        // Children still to walk at each depth: the stack is as deep as the tree, not as wide.
        var pending: [(nodes: [Node], next: Int)] = [([self], 0)]
        while let last = pending.indices.last {
            guard pending[last].next < pending[last].nodes.count else {
                pending.removeLast()
                continue
            }
            let node = pending[last].nodes[pending[last].next]
            pending[last].next += 1
            count += 1
            if count > limit { return node }
            switch node {
            case .mapping(let mapping): pending.append((mapping.flatMap { [$0.key, $0.value] }, 0))
            case .sequence(let sequence): pending.append((Array(sequence), 0))
            case .scalar, .alias: break
            }
        }
        return nil
    }
}
