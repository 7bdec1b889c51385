import Foundation
import MotcuaCore
import MotcuaYAML
import Yams

/// A procedure catalog file (YAML, described in docs/procedures.md): read, decoded and
/// checked, every problem reported at once with its line and column, so whoever edits the
/// file can fix it in one pass. Replaces decoding the file with a bare `YAMLDecoder`, which
/// stops at the first problem, names no line and lets misspelt keys through.
public enum ProcedureFile {
    /// One mistake in the file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based; nil only when the file cannot be read at all.
        public let line: Int?
        public let column: Int?
        /// Where in the data, e.g. `[2].eform[0].askedWhen.field`; empty for the whole file.
        public let path: String
        /// Stable: `yaml_syntax`, `yaml_aliases`, `unknown_key`, `missing_key`, `wrong_type`,
        /// `invalid_value`, or a `CatalogProblem` code.
        public let code: String
        public let vi: String
        public let en: String

        public var description: String {
            let place = line.map { "\($0):\(column ?? 1)" } ?? "-"
            return path.isEmpty ? "\(place): \(en)" : "\(place): \(path): \(en)"
        }
    }

    /// Every problem of a file that could not be loaded, in file order.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        public let file: String
        public let problems: [Problem]

        public var description: String {
            problems.map { "\(file):\($0)" }.joined(separator: "\n")
        }
    }

    /// Loads the catalog at `url`.
    ///
    /// - Parameter serviceIds: the site's submission services, which every `serviceId` must
    ///   name; nil skips that check.
    public static func load(contentsOf url: URL, serviceIds: Set<String>? = nil) throws(Problems) -> [Procedure] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Problems(file: url.lastPathComponent, problems: [Problem(
                line: nil, column: nil, path: "", code: "unreadable",
                vi: "Không đọc được tệp (không tồn tại hoặc không phải UTF-8).",
                en: "The file cannot be read (missing, or not UTF-8)."
            )])
        }
        return try decode(text, file: url.lastPathComponent, serviceIds: serviceIds)
    }

    /// Decodes catalog text; `file` names it in the problems.
    public static func decode(_ text: String, file: String, serviceIds: Set<String>? = nil) throws(Problems) -> [Procedure] {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: VietnameseText.nfc(text))
        } catch {
            throw Problems(file: file, problems: [syntaxProblem(error)])
        }
        guard let root = composed else {
            throw Problems(file: file, problems: [Problem(
                line: 1, column: 1, path: "", code: "empty",
                vi: "Tệp trống: cần một danh sách thủ tục.", en: "The file is empty: a list of procedures is expected."
            )])
        }
        let limit = Node.expansionLimit(for: text)
        if let node = root.firstNode(beyond: limit) {
            throw Problems(file: file, problems: [Problem(
                at: node, path: [], code: "yaml_aliases",
                vi: "Các bí danh (*tên) lặp lại phần được neo quá nhiều lần: tệp sẽ chứa hơn \(limit) giá trị.",
                en: "Aliases (*name) repeat their anchors so often that the file would hold over \(limit) values."
            )])
        }
        guard let items = root.sequence else {
            throw Problems(file: file, problems: [Problem(
                at: root, path: [], code: "wrong_type",
                vi: "Tệp phải là một danh sách thủ tục (mỗi mục bắt đầu bằng \"- code:\").",
                en: "The file must be a list of procedures (each item starting with \"- code:\")."
            )])
        }

        var problems = unknownKeys(in: root, shape: Shape.catalog, path: [])
        var procedures: [Procedure] = []
        var positions: [Int] = []
        for (position, item) in items.enumerated() {
            do {
                procedures.append(try YAMLDecoder().decode(Procedure.self, from: item))
                positions.append(position)
            } catch {
                problems.append(decodingProblem(error, in: item, position: position))
            }
        }
        // Positions in the file, where some items did not decode.
        problems += ProcedureCatalog.problems(in: procedures, serviceIds: serviceIds).map { problem in
            var path = problem.path
            if case .index(let decoded) = path.first { path[0] = .index(positions[decoded]) }
            return Problem(at: root.deepest(along: path), path: path, code: problem.code, vi: problem.vi, en: problem.en)
        }
        guard problems.isEmpty else {
            throw Problems(file: file, problems: problems.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) })
        }
        return procedures
    }

    // MARK: Problems from Yams and the decoder

    private static func syntaxProblem(_ error: any Error) -> Problem {
        let (problem, context): (String, YamlError.Context?) = switch error as? YamlError {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            (problem, context)
        case .duplicatedKeysInMapping(let duplicates, _):
            ("duplicated keys \(duplicates.joined(separator: ", "))", nil)
        default:
            (String(describing: error), nil)
        }
        let place = (error as? YamlError)?.place
        // libyaml finds an unclosed quote or bracket only where the text ends; say where it opened.
        let opened = context.map { (vi: " (\($0.text), từ dòng \($0.mark.line))", en: " (\($0.text), from line \($0.mark.line))") }
        return Problem(
            line: place?.line ?? 1, column: place?.column ?? 1, path: "", code: "yaml_syntax",
            vi: "Lỗi cú pháp YAML: \(problem)\(opened?.vi ?? "").", en: "YAML syntax error: \(problem)\(opened?.en ?? "")."
        )
    }

    /// The decoder stops at a procedure's first problem; its coding path leads to the node.
    private static func decodingProblem(_ error: any Error, in item: Node, position: Int) -> Problem {
        func located(_ codingPath: [any CodingKey], code: String, vi: String, en: String) -> Problem {
            let path = [CatalogProblem.PathComponent.index(position)] + codingPath.map { key in
                key.intValue.map(CatalogProblem.PathComponent.index) ?? .key(key.stringValue)
            }
            return Problem(at: item.deepest(along: Array(path.dropFirst())), path: path, code: code, vi: vi, en: en)
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context):
            return located(context.codingPath, code: "missing_key",
                           vi: "Thiếu khóa \(key.stringValue).", en: "Missing key \(key.stringValue).")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return located(context.codingPath, code: "wrong_type",
                           vi: "Cần giá trị kiểu \(typeName(type)).", en: "Expected \(typeName(type)).")
        case .dataCorrupted(let context):
            return located(context.codingPath, code: "invalid_value",
                           vi: "Giá trị không hợp lệ: \(context.debugDescription)", en: "Invalid value: \(context.debugDescription)")
        default:
            return located([], code: "invalid_value", vi: "Không đọc được thủ tục: \(error)", en: "Cannot read the procedure: \(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number (Int)"
        case is String.Type: "text (String)"
        case is Bool.Type: "true or false (Bool)"
        default: "\(type)"
        }
    }

    // MARK: Keys the file may use

    /// Which keys each mapping may have, from the types' own coding keys, so a misspelt key
    /// ("requiredwhen") is reported instead of silently ignored.
    private indirect enum Shape: Sendable {
        case mapping(known: [String], children: [String: Shape])
        case sequence(of: Shape)

        static func mapping<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, children: [String: Shape] = [:]) -> Shape {
            .mapping(known: keys.allCases.map(\.stringValue), children: children)
        }

        static let catalog: Shape = {
            let condition = mapping(AnswerCondition.CodingKeys.self)
            let field = mapping(EFormField.CodingKeys.self, children: [
                "choices": .sequence(of: mapping(EFormField.Choice.CodingKeys.self)), "askedWhen": condition,
            ])
            return .sequence(of: mapping(Procedure.CodingKeys.self, children: [
                "fees": .sequence(of: mapping(Procedure.Fee.CodingKeys.self)),
                "documents": .sequence(of: mapping(Procedure.Document.CodingKeys.self, children: ["requiredWhen": condition])),
                "eform": .sequence(of: field),
            ]))
        }()
    }

    /// Nodes of another kind than the shape expects are left to the decoder to report.
    private static func unknownKeys(in node: Node, shape: Shape, path: [CatalogProblem.PathComponent]) -> [Problem] {
        switch (shape, node) {
        case (.sequence(let element), .sequence(let items)):
            return items.enumerated().flatMap { unknownKeys(in: $1, shape: element, path: path + [.index($0)]) }
        case (.mapping(let known, let children), .mapping(let pairs)):
            return pairs.flatMap { key, value -> [Problem] in
                let name = key.string ?? ""
                guard known.contains(name) else {
                    return [Problem(
                        at: key, path: path + [.key(name)], code: "unknown_key",
                        vi: "Khóa \(name) không có trong định dạng (các khóa hợp lệ: \(known.joined(separator: ", "))).",
                        en: "Unknown key \(name) (known keys: \(known.joined(separator: ", ")))."
                    )]
                }
                return children[name].map { unknownKeys(in: value, shape: $0, path: path + [.key(name)]) } ?? []
            }
        default:
            return []
        }
    }
}

private extension ProcedureFile.Problem {
    init(at node: Node, path: [CatalogProblem.PathComponent], code: String, vi: String, en: String) {
        self.init(
            line: node.mark?.line, column: node.mark?.column, path: path.map(\.description).joined(),
            code: code, vi: vi, en: en
        )
    }
}

private extension Node {
    /// The node at `path`, or the deepest one on the way there when the path leads to a key
    /// the file leaves out (a default applies): the problem is then shown at its parent.
    func deepest(along path: [CatalogProblem.PathComponent]) -> Node {
        guard let first = path.first else { return self }
        let next: Node? = switch (first, self) {
        case (.index(let index), .sequence(let items)): items.indices.contains(index) ? items[index] : nil
        case (.key(let key), .mapping(let pairs)): pairs.first { $0.key.string == key }?.value
        default: nil
        }
        return next?.deepest(along: Array(path.dropFirst())) ?? self
    }
}
