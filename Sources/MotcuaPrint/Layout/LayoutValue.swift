/// What the app fills a layout's fields with, already formatted ("15 phút", "09 giờ 00
/// phút, ngày 01 tháng 03 năm 2027"): layouts place text, they do not format it.
public enum LayoutValue: Sendable, Equatable {
    case text(String)
    /// The items a list block repeats over, each with its own fields (a document's name and
    /// how many originals and copies).
    case list([[String: String]])
}

extension LayoutValue: ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) {
        self = .text(value)
    }

    public init(arrayLiteral items: [String: String]...) {
        self = .list(items)
    }
}
