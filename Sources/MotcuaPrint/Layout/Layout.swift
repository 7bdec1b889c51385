import Foundation

/// A printable form as a centre wrote it in `layouts/*.yaml`: the page, then blocks stacked
/// top to bottom. Loaded and checked once (see `Layout+YAML.swift`), rendered many times.
public struct Layout: Sendable {
    public let form: PrintedForm
    public let page: Page
    /// Labels of the copies printed together ("Liên 1: Lưu", "Liên 2: Giao khách hàng"), one
    /// PDF page each, shown where the layout writes `{{copy}}`. Empty: one copy.
    public let copies: [String]
    let blocks: [Block]
}

public struct Page: Sendable, Equatable {
    /// Millimetres: 58 or 80 for thermal rolls, 148 for A5, 210 for A4.
    public let width: Double
    /// Millimetres. A sheet's height, so the page matches the paper; a roll has none and the
    /// page is as tall as its content. A page never cuts content: it grows past this instead.
    public let height: Double?
    public let margins: Margins
    /// Resolution of PNG renders; thermal heads are 203 dpi, so QR modules snap to its dots.
    public let dpi: Int
    /// Font family; DejaVu Sans stands in for any character it lacks.
    public let font: String
    /// Text size in points for blocks that do not set their own.
    public let textSize: Double
}

public struct Margins: Sendable, Equatable {
    public let top, right, bottom, left: Double
}

extension Page {
    var contentWidth: Double { width - margins.left - margins.right }
}

/// One thing on the page. Lengths are millimetres, text sizes points.
enum Block: Sendable {
    case text(Template, TextStyle)
    /// "Label: value", the value in the style's weight and the label regular.
    case field(label: Template, value: Template, TextStyle)
    /// One entry per item of a list field, each behind a number, a bullet or a tick box,
    /// the whole list `indent` in from the left.
    case list(field: String, item: Template, marker: ListMarker, indent: Double, TextStyle)
    case qr(field: String, size: Double, correction: QRCode.Correction, align: Alignment)
    /// A rule of `length` (the full width when nil).
    case line(length: Double?, align: Alignment)
    case space(Double)
    case columns([Column], gap: Double)
}

struct TextStyle: Sendable {
    var size: Double
    var bold: Bool
    var italic: Bool
    var align: Alignment
}

enum Alignment: String, Sendable, CaseIterable {
    case left, center, right
}

enum ListMarker: String, Sendable, CaseIterable {
    case number, bullet, checkbox, none
}

struct Column: Sendable {
    /// Share of the row's width left after the gaps, 0–1.
    var share: Double
    var blocks: [Block]
}
