import MotcuaYAML
import Yams

/// A device profile that cannot be used, pointing at the place to fix:
/// `devices/kiosks.yaml:7:14: kiosks[0].printer: unknown printer 'kiosk-9' …`.
public struct DeviceProfileError: Error, Hashable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when the file itself is the problem (unreadable).
    public let line: Int
    public let column: Int
    /// Where in the file: `printers[1].marginsMm.left`.
    public let key: String
    public let problem: String

    public var description: String { "\(file):\(line):\(column): \(key): \(problem)" }
}

/// Reads one profile file's YAML tree, keeping each node's position for errors.
struct ProfileFile {
    let path: String
    let root: Node?

    init(text: String, path: String) throws {
        self.path = path
        do {
            root = try Yams.compose(yaml: text, .plain)
        } catch let error as YamlError {
            let problem = switch error {
            case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _),
                 let .reader(problem, _, _, _):
                problem
            case let .duplicatedKeysInMapping(duplicates, _):
                "key \(duplicates.joined(separator: ", ")) appears twice"
            default:
                "\(error)"
            }
            // Line 0 is for a file that cannot be read; a YAML problem is always on a line of it.
            let place = error.place ?? YAMLPlace(line: 1, column: 1)
            throw DeviceProfileError(
                file: path, line: place.line, column: place.column, key: "(file)", problem: "not valid YAML: \(problem)"
            )
        }
        let limit = Node.expansionLimit(for: text)
        if let node = root?.firstNode(beyond: limit) {
            throw DeviceProfileError(
                file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, key: "(file)",
                problem: "aliases (*name) repeat their anchors so often that the file would hold over \(limit) values"
            )
        }
    }

    /// The list under the file's one top-level key (`printers:`); empty for an empty file.
    func entries(_ kind: String) throws -> [ProfileEntry] {
        guard let root else { return [] }
        let top = try ProfileEntry(file: path, key: "", node: root)
        try top.allowOnly([kind])
        guard let list = top.optional(kind) else { return [] }
        guard let items = list.sequence else { throw top.error(at: list, kind, "expected a list of \(kind)") }
        return try items.enumerated().map { index, item in
            try ProfileEntry(file: path, key: "\(kind)[\(index)]", node: item)
        }
    }
}

/// One YAML mapping (a printer, its margins…) read key by key.
struct ProfileEntry {
    let file: String
    let key: String
    let node: Node
    private let values: [(key: Node, value: Node)]

    init(file: String, key: String, node: Node) throws {
        self.file = file
        self.key = key
        self.node = node
        guard let mapping = node.mapping else {
            throw DeviceProfileError(
                file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
                key: key.isEmpty ? "(file)" : key, problem: "expected a mapping of keys to values"
            )
        }
        values = Array(mapping)
    }

    func error(at node: Node, _ name: String, _ problem: String) -> DeviceProfileError {
        DeviceProfileError(
            file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0,
            key: key.isEmpty ? name : "\(key).\(name)", problem: problem
        )
    }

    /// Typos must not pass silently as "not set".
    func allowOnly(_ names: [String]) throws {
        for (keyNode, _) in values where !names.contains(keyNode.string ?? "") {
            // An empty key (`: x`, or an anchor left where the key was) is still named, not left out.
            let name = keyNode.string.map { $0.isEmpty ? "''" : $0 } ?? "?"
            throw error(at: keyNode, name, "unknown key; expected one of \(names.joined(separator: ", "))")
        }
    }

    func optional(_ name: String) -> Node? {
        values.first { $0.key.string == name }?.value
    }

    func required(_ name: String) throws -> Node {
        guard let value = optional(name) else { throw error(at: node, name, "missing") }
        return value
    }

    /// Letters, digits, - and _: ids end up in URLs, file names and log lines.
    func identifier(_ name: String) throws -> String {
        let value = try required(name)
        guard let text = value.scalar?.string, (1...64).contains(text.count),
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { throw error(at: value, name, "'\(value.scalar?.string ?? "")' is not 1 to 64 letters, digits, - or _") }
        return text
    }

    func millimetres(_ name: String, within range: ClosedRange<Double>) throws -> Double {
        try millimetres(at: required(name), name, within: range)
    }

    func millimetres(at value: Node, _ name: String, within range: ClosedRange<Double>) throws -> Double {
        guard let number = value.float, range.contains(number) else {
            throw error(at: value, name, "'\(value.scalar?.string ?? "")' is not a length from \(range.lowerBound) to \(range.upperBound) mm")
        }
        return number
    }

    func integer(_ name: String, within range: ClosedRange<Int>) throws -> Int {
        let value = try required(name)
        guard let number = value.int, range.contains(number) else {
            throw error(at: value, name, "'\(value.scalar?.string ?? "")' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func flag(_ name: String) throws -> Bool {
        let value = try required(name)
        guard let flag = value.flag else { throw error(at: value, name, "'\(value.scalar?.string ?? "")' is not true or false") }
        return flag
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, at value: Node? = nil) throws -> Choice where Choice.RawValue == String {
        let value = try value ?? required(name)
        guard let text = value.scalar?.string, let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(at: value, name, "'\(value.scalar?.string ?? "")' is not one of \(allowed)")
        }
        return choice
    }

    /// A non-empty list without repeats, each item checked by `read`.
    func list<Item: Hashable>(_ name: String, _ read: (Node) throws -> Item) throws -> [Item] {
        let value = try required(name)
        guard let items = value.sequence, !items.isEmpty else { throw error(at: value, name, "expected a non-empty list") }
        var list: [Item] = []
        // A set, not the list, answers "seen before?": a long list must not cost its square.
        var seen: Set<Item> = []
        for item in items {
            let read = try read(item)
            guard seen.insert(read).inserted else { throw error(at: item, name, "'\(item.scalar?.string ?? "")' is listed twice") }
            list.append(read)
        }
        return list
    }
}
