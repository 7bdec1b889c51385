/// How dossier codes (mã hồ sơ) are written. No national format is published; the common
/// shape `<agency code>-<yymmdd>-<daily sequence>` (e.g. `000.00.01.H22-270203-0007`) is the
/// default, and a centre can set its own from these placeholders, any other text kept as is:
///
/// - `<agency>`: the receiving agency's code (mã đơn vị), from the site's configuration;
/// - `<yymmdd>`, `<yyyymmdd>`: the site's date the dossier was prepared;
/// - `<procedure>`: the procedure's national code;
/// - `<sequence>`, `<sequence:N>`: the sequence number the store assigns, zero-padded to N
///   digits. Required, since it is what tells two dossiers of a day apart. It restarts
///   each day when the code carries the date, and never otherwise.
public struct DossierCodePattern: Sendable, Equatable, Codable, CustomStringConvertible {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    private enum Part: Equatable {
        case text(String)
        case agency
        case date(fullYear: Bool)
        case procedure
        case sequence(digits: Int)
    }

    /// The pattern as written.
    public let description: String
    private let parts: [Part]

    /// The default: the daily sequence padded to four digits, so codes of a day have one
    /// width and sort in order.
    public static let standard = try! DossierCodePattern("<agency>-<yymmdd>-<sequence:4>")

    public init(_ pattern: String) throws(Invalid) {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "<") {
            if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: ">") else {
                throw Invalid(description: "\"<\" without \">\" in dossier code pattern \"\(pattern)\"")
            }
            parts.append(try Self.placeholder(rest[rest.index(after: open)..<close], in: pattern))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        guard parts.contains(where: { if case .sequence = $0 { true } else { false } }) else {
            throw Invalid(description: "dossier code pattern \"\(pattern)\" has no <sequence>, so codes of one day would repeat")
        }
        description = pattern
        self.parts = parts
    }

    private static func placeholder(_ name: Substring, in pattern: String) throws(Invalid) -> Part {
        switch name {
        case "agency": return .agency
        case "yymmdd": return .date(fullYear: false)
        case "yyyymmdd": return .date(fullYear: true)
        case "procedure": return .procedure
        case "sequence": return .sequence(digits: 1)
        default:
            if name.hasPrefix("sequence:"), let digits = Int(name.dropFirst("sequence:".count)), (1...9).contains(digits) {
                return .sequence(digits: digits)
            }
            throw Invalid(description: "unknown placeholder <\(name)> in dossier code pattern \"\(pattern)\"")
        }
    }

    /// Whether codes carry their date, so the sequence can start again at 1 each day
    /// without a code repeating.
    public var restartsDaily: Bool {
        parts.contains { if case .date = $0 { true } else { false } }
    }

    /// The code of the `sequence`-th dossier (from 1) of `date` at `agency`.
    public func code(agency: String, date: LocalDate, procedure: String, sequence: Int) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .agency: agency
            case .date(let fullYear): String(date.iso.filter(\.isASCIIDigit).dropFirst(fullYear ? 0 : 2))
            case .procedure: procedure
            case .sequence(let digits): String(sequence).leftPadded(to: digits)
            }
        }.joined()
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
