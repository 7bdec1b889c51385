/// Keeps personal data (names, ID numbers, phone numbers) out of log lines.
///
/// Two layers: values known to be personal are wrapped in `Redacted` before they get near
/// a logger, and every line is passed through `scrub`, which masks anything shaped like an
/// ID or phone number in case a value slipped through unwrapped (an error message that
/// echoes input, say).
public enum Redaction {
    public static let mask = "[redacted]"

    /// Masks every run of 9 or more digits, allowing one kind of separator (single spaces,
    /// dots or dashes) between them and a leading "+": chip ID numbers (12 digits), old IDs
    /// (9), phone numbers ("0912 345 678", "091.234.5678", "+84912345678"). Shorter numbers
    /// (ticket A012, counts, ports) and dates ("2027-02-03 09:30") stay.
    public static func scrub(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard let run = digitRun(in: scalars, from: index) else {
                output.append(scalars[index])
                index += 1
                continue
            }
            if run.digits >= 9 {
                output.append(contentsOf: mask.unicodeScalars)
            } else {
                output.append(contentsOf: scalars[index..<run.end])
            }
            index = run.end
        }
        return String(output)
    }

    /// The digit run starting at `start` (a digit, or "+" before a digit), if any.
    private static func digitRun(in scalars: [Unicode.Scalar], from start: Int) -> (end: Int, digits: Int)? {
        var index = start
        if scalars[index] == "+" { index += 1 }
        guard index < scalars.count, scalars[index].properties.numericType == .decimal else { return nil }
        var digits = 0
        var end = index
        var separator: Unicode.Scalar?
        while index < scalars.count {
            if scalars[index].properties.numericType == .decimal {
                digits += 1
                index += 1
                end = index
            } else if [" ", ".", "-"].contains(scalars[index]), separator == nil || separator == scalars[index],
                      index + 1 < scalars.count,
                      scalars[index + 1].properties.numericType == .decimal {
                separator = scalars[index]
                index += 1
            } else {
                break
            }
        }
        return (end, digits)
    }
}

/// A personal value that prints as a mask, so interpolating it into a log line or an error
/// description cannot leak it. Read the value explicitly with `.value`.
public struct Redacted<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public var description: String { Redaction.mask }
    public var debugDescription: String { Redaction.mask }
}

extension Redacted: Equatable where Value: Equatable {}
extension Redacted: Hashable where Value: Hashable {}
