import Foundation
import MotcuaYAML
import Yams

extension Layout {
    /// Loads a layout file and checks it against `form`'s fields. Files named by an
    /// `include` block are read from the same folder.
    public init(contentsOf url: URL, form: PrintedForm) throws {
        let yaml = try String(contentsOf: url, encoding: .utf8)
        do {
            try self.init(yaml: yaml, form: form, includesFrom: url.deletingLastPathComponent())
        } catch {
            throw error.inFile(url.lastPathComponent)
        }
    }

    /// `includesFrom` is the folder `include` blocks read from; without it they are refused.
    public init(yaml: String, form: PrintedForm, includesFrom folder: URL? = nil) throws(LayoutError) {
        let root = try composeYAML(yaml)
        var keys = try Keys(root, what: "the layout")
        let pageNode = try keys.required("page")
        let pageKey = keys.key("page")
        let copiesNode = keys.optional("copies")
        let blocksNode = try keys.required("blocks")
        try keys.rejectOthers()

        let page = try LayoutReader.page(pageNode, under: pageKey)
        let copies = try copiesNode.map(LayoutReader.copyLabels) ?? []
        let reader = LayoutReader(form: form, page: page, hasCopies: !copies.isEmpty, includes: folder)
        self.init(form: form, page: page, copies: copies, blocks: try reader.blocks(blocksNode, width: page.contentWidth))
    }
}

extension LayoutError {
    static func at(_ node: Node, _ message: String) -> LayoutError {
        LayoutError(file: nil, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    /// Errors of an included file already name it; the rest belong to the file being read.
    func inFile(_ name: String) -> LayoutError {
        var located = self
        located.file = located.file ?? name
        return located
    }
}

private func composeYAML(_ yaml: String) throws(LayoutError) -> Node {
    let root: Node?
    do {
        root = try Yams.compose(yaml: yaml, .plain)
    } catch let error as YamlError {
        throw error.layoutError
    } catch {
        throw LayoutError(file: nil, line: 1, column: 1, message: "\(error)")
    }
    guard let root else { throw LayoutError(file: nil, line: 1, column: 1, message: "the file is empty") }
    let limit = Node.expansionLimit(for: yaml)
    if let node = root.firstNode(beyond: limit) {
        throw .at(node, "aliases (*name) repeat their anchors so often that the file would hold over \(limit) values")
    }
    return root
}

private extension YamlError {
    var layoutError: LayoutError {
        let place = place ?? YAMLPlace(line: 1, column: 1)
        let message = switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            "not valid YAML: " + [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        case .duplicatedKeysInMapping(let duplicates, _):
            "the same key twice: \(duplicates.joined(separator: ", ")) (this is the first)"
        default:
            "not valid YAML: \(self)"
        }
        return LayoutError(file: nil, line: place.line, column: place.column, message: message)
    }
}

/// One YAML mapping read key by key: whatever no reader asked for is an unknown key, reported
/// with the keys that would have been understood.
private struct Keys {
    var what: String
    /// Where a missing key is reported: the mapping's own key (`page:`), or its first line.
    private let anchor: Node
    private let entries: [(name: String, key: Node, value: Node)]
    private var asked: [String] = []

    init(_ node: Node, what: String, under parentKey: Node? = nil) throws(LayoutError) {
        guard let mapping = node.mapping else { throw .at(node, "\(what) must be a set of 'key: value' lines") }
        var entries: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw .at(key, "a key must be a plain word") }
            entries.append((name, key, value))
        }
        self.what = what
        anchor = parentKey ?? node
        self.entries = entries
    }

    var names: [String] { entries.map(\.name) }

    func key(_ name: String) -> Node? {
        entries.first { $0.name == name }?.key
    }

    mutating func optional(_ name: String) -> Node? {
        asked.append(name)
        return entries.first { $0.name == name }?.value
    }

    mutating func required(_ name: String) throws(LayoutError) -> Node {
        guard let value = optional(name) else { throw .at(anchor, "\(what) needs '\(name)'") }
        return value
    }

    func rejectOthers() throws(LayoutError) {
        guard let unknown = entries.first(where: { !asked.contains($0.name) }) else { return }
        throw .at(unknown.key, "unknown key '\(unknown.name)' in \(what); expected \(asked.joined(separator: ", "))")
    }
}

private enum BlockType: String, CaseIterable {
    case text, field, list, qr, line, space, columns, include
}

/// Turns the `blocks:` tree into `Block`s, checking every size against the room it has and
/// every field name against the form.
private struct LayoutReader {
    let form: PrintedForm
    let page: Page
    let hasCopies: Bool
    /// Where `include` reads from; nil inside an included file, which may not include again.
    let includes: URL?

    static func page(_ node: Node, under key: Node?) throws(LayoutError) -> Page {
        var keys = try Keys(node, what: "page", under: key)
        let width = try number(keys.required("width"), "width", .millimetres, in: 40...420)
        var height: Double?
        if let node = keys.optional("height") { height = try number(node, "height", .millimetres, in: 40...2000) }
        let marginNode = keys.optional("margin")
        let margins = try marginNode.map(margins) ?? Margins(top: 5, right: 5, bottom: 5, left: 5)
        var dpi = 203
        if let node = keys.optional("dpi") { dpi = Int(try number(node, "dpi", .dotsPerInch, in: 72...1200)) }
        var font = "Noto Sans"
        if let node = keys.optional("font") { font = try text(node, "font") }
        var textSize = 10.0
        if let node = keys.optional("size") { textSize = try number(node, "size", .points, in: 4...96) }
        try keys.rejectOthers()
        if let marginNode, width - margins.left - margins.right < 20 {
            throw .at(marginNode, "margins leave less than 20 mm of the \(format(width)) mm page to print on")
        }
        return Page(width: width, height: height, margins: margins, dpi: dpi, font: font, textSize: textSize)
    }

    /// One number for all sides, or four as CSS orders them: top, right, bottom, left.
    static func margins(_ node: Node) throws(LayoutError) -> Margins {
        if let sides = node.sequence {
            guard sides.count == 4 else { throw .at(node, "margin is one number or four: [top, right, bottom, left]") }
            var mm: [Double] = []
            for side in sides { mm.append(try number(side, "margin", .millimetres, in: 0...100)) }
            return Margins(top: mm[0], right: mm[1], bottom: mm[2], left: mm[3])
        }
        let all = try number(node, "margin", .millimetres, in: 0...100)
        return Margins(top: all, right: all, bottom: all, left: all)
    }

    static func copyLabels(_ node: Node) throws(LayoutError) -> [String] {
        guard let labels = node.sequence, !labels.isEmpty else {
            throw .at(node, "copies is a list of labels, one per printed copy")
        }
        var texts: [String] = []
        for label in labels { texts.append(try text(label, "a copy label")) }
        return texts
    }

    func blocks(_ node: Node, width: Double) throws(LayoutError) -> [Block] {
        guard let items = node.sequence else { throw .at(node, "blocks must be a list, each block starting with '- '") }
        var blocks: [Block] = []
        for item in items { blocks += try block(item, width: width) }
        return blocks
    }

    /// A block is known by its one type key (`text:`, `qr:` …), wherever it stands among the
    /// options; an `include` stands for the blocks of its file.
    private func block(_ node: Node, width: Double) throws(LayoutError) -> [Block] {
        var keys = try Keys(node, what: "a block")
        let types = keys.names.compactMap(BlockType.init(rawValue:))
        guard let type = types.first else {
            let first = keys.names.first.flatMap(keys.key) ?? node
            let name = keys.names.first ?? ""
            throw .at(first, "unknown block type '\(name)'; a block is one of \(BlockType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if types.count > 1, let second = keys.key(types[1].rawValue) {
            throw .at(second, "a block has one type; this one is both \(types[0].rawValue) and \(types[1].rawValue)")
        }
        keys.what = "a \(type) block"
        let typeKey = keys.key(type.rawValue)!
        let argument = try keys.required(type.rawValue)
        let block: [Block]
        switch type {
        case .text:
            let template = try template(argument)
            block = [.text(template, try style(&keys, alignable: true))]
        case .field:
            let label = try template(argument)
            let value = try template(keys.required("value"))
            block = [.field(label: label, value: value, try style(&keys, alignable: false))]
        case .list:
            let name = try fieldName(argument)
            guard case .list(let itemFields) = form.fields[name] else {
                let lists = form.fields.filter { $0.value != .text }.keys.sorted()
                let known = lists.isEmpty ? "it has none" : "lists: \(lists.joined(separator: ", "))"
                throw .at(argument, "'\(name)' is not a list field of the \(form) form; \(known)")
            }
            let item = try template(keys.required("item"), itemFields: itemFields)
            var marker = ListMarker.number
            if let node = keys.optional("marker") { marker = try choice(node, "marker", ListMarker.self) }
            var indent = 0.0
            if let node = keys.optional("indent") { indent = try number(node, "indent", .millimetres, in: 0...(width / 2)) }
            let style = try style(&keys, alignable: false)
            block = [.list(field: name, item: item, marker: marker, indent: indent, style)]
        case .qr:
            let name = try fieldName(argument)
            try checkTextField(name, at: argument)
            var size = min(30, width)
            if let node = keys.optional("size") { size = try number(node, "size", .millimetres, in: 10...width) }
            var correction = QRCode.Correction.quartile
            if let node = keys.optional("correction") {
                correction = try choice(
                    node, "correction", options: [("low", .low), ("medium", .medium), ("quartile", .quartile), ("high", .high)])
            }
            block = [.qr(field: name, size: size, correction: correction, align: try align(&keys, default: .center))]
        case .line:
            let length = argument.null != nil ? nil : try number(argument, "line length", .millimetres, in: 1...width)
            block = [.line(length: length, align: try align(&keys, default: .center))]
        case .space:
            block = [.space(try number(argument, "space", .millimetres, in: 0...500))]
        case .columns:
            block = [try columns(argument, under: typeKey, gapNode: keys.optional("gap"), width: width)]
        case .include:
            block = try include(argument, width: width)
        }
        try keys.rejectOthers()
        return block
    }

    private func style(_ keys: inout Keys, alignable: Bool) throws(LayoutError) -> TextStyle {
        var style = TextStyle(size: page.textSize, bold: false, italic: false, align: .left)
        if let node = keys.optional("size") { style.size = try number(node, "size", .points, in: 4...96) }
        if let node = keys.optional("weight") {
            style.bold = try choice(node, "weight", options: [("regular", false), ("bold", true)])
        }
        if let node = keys.optional("italic") {
            guard let italic = node.flag else { throw .at(node, "italic is true or false") }
            style.italic = italic
        }
        if alignable { style.align = try align(&keys, default: .left) }
        return style
    }

    private func align(_ keys: inout Keys, default fallback: Alignment) throws(LayoutError) -> Alignment {
        guard let node = keys.optional("align") else { return fallback }
        return try choice(node, "align", Alignment.self)
    }

    /// Columns side by side; a `width: 40%` column takes that share of the row, the others
    /// split the rest.
    private func columns(_ node: Node, under key: Node, gapNode: Node?, width: Double) throws(LayoutError) -> Block {
        guard let items = node.sequence, !items.isEmpty else {
            throw .at(key, "columns is a list of columns, each with 'blocks:'")
        }
        var gap = 3.0
        if let gapNode { gap = try number(gapNode, "gap", .millimetres, in: 0...50) }
        let room = width - gap * Double(items.count - 1)
        guard room >= 10 * Double(items.count) else { throw .at(key, "\(items.count) columns do not fit in \(format(width)) mm") }

        var shares: [Double?] = []
        var keyed: [Keys] = []
        for item in items {
            var keys = try Keys(item, what: "a column")
            var share: Double?
            if let widthNode = keys.optional("width") {
                guard let text = widthNode.scalar?.string, text.hasSuffix("%"), let percent = Double(text.dropLast()),
                      (1...100).contains(percent)
                else { throw .at(widthNode, "a column's width is a share of the row, like 40%") }
                share = percent / 100
            }
            shares.append(share)
            keyed.append(keys)
        }
        let declared = shares.compactMap { $0 }.reduce(0, +)
        let open = shares.filter { $0 == nil }.count
        guard declared <= 1, open == 0 || declared < 1 else { throw .at(key, "the columns' widths add up to more than 100%") }
        let rest = open == 0 ? 0 : (1 - declared) / Double(open)

        var columns: [Column] = []
        for (index, var keys) in keyed.enumerated() {
            let blocks = try blocks(keys.required("blocks"), width: room * (shares[index] ?? rest))
            try keys.rejectOthers()
            columns.append(Column(share: shares[index] ?? rest, blocks: blocks))
        }
        return .columns(columns, gap: gap)
    }

    /// Blocks shared by several forms (the national heading), kept in one file.
    private func include(_ node: Node, width: Double) throws(LayoutError) -> [Block] {
        guard let includes else {
            throw .at(node, "include works only in a layout read from its file, and not inside an included file")
        }
        let name = try text(node, "include")
        let url = includes.appendingPathComponent(name)
        guard let yaml = try? String(contentsOf: url, encoding: .utf8) else {
            throw .at(node, "cannot read '\(name)' next to this layout")
        }
        do {
            let root = try composeYAML(yaml)
            var keys = try Keys(root, what: "an included file")
            let blocksNode = try keys.required("blocks")
            try keys.rejectOthers()
            let inner = LayoutReader(form: form, page: page, hasCopies: hasCopies, includes: nil)
            return try inner.blocks(blocksNode, width: width)
        } catch {
            throw error.inFile(name)
        }
    }

    // MARK: Field names

    private func template(_ node: Node, itemFields: Set<String> = []) throws(LayoutError) -> Template {
        // NFC, as the values are, so text written in the file and text from the app compare equal.
        let source = try text(node, "text").precomposedStringWithCanonicalMapping
        let template: Template
        do {
            template = try Template(parsing: source)
        } catch {
            throw .at(node, error.message)
        }
        for name in template.fields where !itemFields.contains(name) {
            try checkTextField(name, at: node, itemFields: itemFields)
        }
        return template
    }

    private func checkTextField(_ name: String, at node: Node, itemFields: Set<String> = []) throws(LayoutError) {
        if name == "copy" {
            guard hasCopies else { throw .at(node, "'{{copy}}' needs the copy labels under 'copies:'") }
            return
        }
        switch form.fields[name] {
        case .text: return
        case .list: throw .at(node, "'\(name)' is a list: repeat it with a list block")
        case nil:
            let known = (Array(form.fields.filter { $0.value == .text }.keys) + itemFields).sorted().joined(separator: ", ")
            throw .at(node, "unknown field '\(name)' for the \(form) form; known: \(known)")
        }
    }

    private func fieldName(_ node: Node) throws(LayoutError) -> String {
        try text(node, "field name").trimmingCharacters(in: .whitespaces)
    }
}

private enum Unit: String {
    case millimetres = "mm", points = "pt", dotsPerInch = "dpi"
}

private func number(_ node: Node, _ what: String, _ unit: Unit, in range: ClosedRange<Double>) throws(LayoutError) -> Double {
    guard let value = node.float, range.contains(value) else {
        throw .at(node, "\(what) must be a number from \(format(range.lowerBound)) to \(format(range.upperBound)) \(unit.rawValue), not '\(node.scalar?.string ?? "a list")'")
    }
    return value
}

private func text(_ node: Node, _ what: String) throws(LayoutError) -> String {
    guard let text = node.scalar?.string else { throw .at(node, "\(what) must be text") }
    return text
}

private func choice<Value>(_ node: Node, _ what: String, options: [(String, Value)]) throws(LayoutError) -> Value {
    guard let text = node.scalar?.string, let value = options.first(where: { $0.0 == text })?.1 else {
        throw .at(node, "\(what) is one of \(options.map(\.0).joined(separator: ", ")), not '\(node.scalar?.string ?? "")'")
    }
    return value
}

private func choice<Value: CaseIterable & RawRepresentable<String>>(_ node: Node, _ what: String, _: Value.Type) throws(LayoutError) -> Value {
    try choice(node, what, options: Value.allCases.map { ($0.rawValue, $0) })
}

/// "80" rather than "80.0" in messages.
private func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}
