import Foundation

/// Text with `{{field}}` placeholders, split once at load so a render only concatenates.
struct Template: Sendable {
    enum Part: Sendable {
        case literal(String)
        case field(String)
    }

    struct SyntaxError: Error {
        let message: String
    }

    let parts: [Part]

    init(parsing text: String) throws(SyntaxError) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw SyntaxError(message: "'{{' without its closing '}}'")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let first = name.first, first.isASCII, first.isLetter,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else {
                throw SyntaxError(message: "'{{\(name)}}' is not a field name (letters and digits, starting with a letter)")
            }
            parts.append(.field(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    var fields: [String] {
        parts.compactMap { if case .field(let name) = $0 { name } else { nil } }
    }

    func filled<Failure: Error>(_ value: (String) throws(Failure) -> String) throws(Failure) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal): text += literal
            case .field(let name): text += try value(name)
            }
        }
        return text
    }
}
