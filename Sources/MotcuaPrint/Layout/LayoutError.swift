/// A layout file that cannot be used, with the place to fix it: the person editing
/// `layouts/receipt.yaml` reads "receipt.yaml, line 12, column 5: …".
public struct LayoutError: Error, Equatable, CustomStringConvertible {
    /// The file's name, when the layout came from a file.
    public var file: String?
    /// From 1.
    public let line: Int
    /// From 1, in characters.
    public let column: Int
    public let message: String

    public var description: String {
        "\(file ?? "layout"), line \(line), column \(column): \(message)"
    }
}

/// A render that cannot go ahead because the values do not fit the layout: an app bug, not
/// a layout one, since layouts are checked against their form's fields on load.
public enum LayoutRenderError: Error, Equatable {
    case missingValue(field: String)
    /// A text field given a list, or a list field given text.
    case wrongKind(field: String)
    case missingItemValue(list: String, item: Int, field: String)
    case unencodableQR(field: String)
    case cairo(String)
}
