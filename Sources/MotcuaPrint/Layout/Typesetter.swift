internal import CPrintLibraries
import Foundation

/// One copy of a layout with every block measured and placed, in points from the page's
/// top-left corner. The PDF page and the PNG draw the same marks, so they show the same page.
struct TypesetPage {
    var width: Double
    var height: Double
    var marks: [PageMark]
}

enum PageMark {
    case text(Paragraph, x: Double, y: Double)
    case rule(x: Double, y: Double, width: Double, thickness: Double)
    /// The empty box of a checklist item, ticked by hand.
    case box(x: Double, y: Double, side: Double, thickness: Double)
    case qr(QRCode, x: Double, y: Double, module: Double)
}

/// Text shaped and broken into lines by Pango; a GObject, released with the mark drawing it.
final class Paragraph {
    let layout: OpaquePointer

    init(_ layout: OpaquePointer) {
        self.layout = layout
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(layout))
    }

    /// The logical box, in points: line heights and advances, not the ink.
    var size: (width: Double, height: Double) {
        var width: Int32 = 0
        var height: Int32 = 0
        pango_layout_get_size(layout, &width, &height)
        return (Double(width) / Double(PANGO_SCALE), Double(height) / Double(PANGO_SCALE))
    }

    /// From the top of the paragraph to its first line's baseline.
    var baseline: Double {
        Double(pango_layout_get_baseline(layout)) / Double(PANGO_SCALE)
    }
}

extension Layout {
    func typeset(_ values: [String: LayoutValue], copy: String?) throws -> TypesetPage {
        let setter = Typesetter(page: page, values: FieldValues(values: values, copy: copy))
        let margins = page.margins
        let bottom = try setter.place(
            blocks, x: points(margins.left), width: points(page.contentWidth), top: points(margins.top))
        let height = max(bottom + points(margins.bottom), points(page.height ?? 0))
        return TypesetPage(width: points(page.width), height: height, marks: setter.marks)
    }
}

/// PDF user space is in points; layouts speak millimetres.
func points(_ millimetres: Double) -> Double {
    millimetres * 72 / 25.4
}

/// The values of one render: NFC text, so what reaches the PDF is what pdftotext and
/// search give back; the copy label answers `{{copy}}`.
struct FieldValues {
    let values: [String: LayoutValue]
    let copy: String?

    func text(_ name: String) throws(LayoutRenderError) -> String {
        if name == "copy", let copy { return copy }
        switch values[name] {
        case .text(let text): return text.precomposedStringWithCanonicalMapping
        case .list: throw .wrongKind(field: name)
        case nil: throw .missingValue(field: name)
        }
    }

    func list(_ name: String) throws(LayoutRenderError) -> [[String: String]] {
        switch values[name] {
        case .list(let items): return items
        case .text: throw .wrongKind(field: name)
        case nil: throw .missingValue(field: name)
        }
    }

    func fill(_ template: Template) throws(LayoutRenderError) -> String {
        try template.filled { name throws(LayoutRenderError) in try text(name) }
    }

    /// An item's own fields first, then the form's.
    func fill(_ template: Template, item: [String: String], of list: String, at index: Int) throws(LayoutRenderError) -> String {
        try template.filled { name throws(LayoutRenderError) in
            if let value = item[name] { return value.precomposedStringWithCanonicalMapping }
            if values[name] != nil || name == "copy" { return try text(name) }
            throw .missingItemValue(list: list, item: index, field: name)
        }
    }
}

/// Places blocks top to bottom, measuring each with Pango before the next goes below it.
final class Typesetter {
    private(set) var marks: [PageMark] = []
    private let context: OpaquePointer
    private let family: String
    private let values: FieldValues
    /// One dot of the page's printer, in points: QR codes snap to whole dots.
    private let dot: Double

    private static let quietZone = 4
    private static let ruleThickness = 0.6
    /// A line block is this tall, its rule in the middle, so text above and below keeps clear.
    private static let lineBlockHeight = points(1.5)

    init(page: Page, values: FieldValues) {
        context = pango_font_map_create_context(pango_cairo_font_map_get_default())
        // Unhinted metrics: line breaks and heights do not depend on the surface, so the PNG
        // and the PDF break lines alike.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        // Our device unit is the point, far coarser than a printer dot: rounding glyph
        // positions to it would leave uneven gaps between letters.
        pango_context_set_round_glyph_positions(context, 0)
        family = "\(page.font),DejaVu Sans"
        self.values = values
        dot = 72 / Double(page.dpi)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
    }

    /// Returns where the blocks end.
    func place(_ blocks: [Block], x: Double, width: Double, top: Double) throws -> Double {
        var y = top
        for block in blocks {
            switch block {
            case .text(let template, let style):
                let paragraph = self.paragraph(try values.fill(template), style, width: width)
                marks.append(.text(paragraph, x: x, y: y))
                y += paragraph.size.height
            case .field(let label, let value, let style):
                let label = try values.fill(label) + ": "
                var labelStyle = style
                labelStyle.bold = false
                let paragraph = self.paragraph(
                    label + (try values.fill(value)), labelStyle, width: width,
                    boldFrom: style.bold ? label.utf8.count : nil)
                marks.append(.text(paragraph, x: x, y: y))
                y += paragraph.size.height
            case .list(let field, let item, let marker, let indent, let style):
                y = try placeList(
                    field, item: item, marker: marker, style: style, x: x + points(indent), width: width - points(indent),
                    top: y)
            case .qr(let field, let size, let correction, let align):
                y = try placeQR(field, size: size, correction: correction, align: align, x: x, width: width, top: y)
            case .line(let length, let align):
                let ruleWidth = min(length.map(points) ?? width, width)
                let middle = y + Self.lineBlockHeight / 2
                marks.append(.rule(
                    x: x + offset(align, of: ruleWidth, in: width), y: middle - Self.ruleThickness / 2,
                    width: ruleWidth, thickness: Self.ruleThickness))
                y += Self.lineBlockHeight
            case .space(let millimetres):
                y += points(millimetres)
            case .columns(let columns, let gap):
                let room = width - points(gap) * Double(columns.count - 1)
                var left = x
                var bottom = y
                for column in columns {
                    let columnWidth = room * column.share
                    bottom = max(bottom, try place(column.blocks, x: left, width: columnWidth, top: y))
                    left += columnWidth + points(gap)
                }
                y = bottom
            }
        }
        return y
    }

    /// Each item hangs behind its marker, so wrapped lines stay clear of the numbers.
    private func placeList(
        _ field: String, item: Template, marker: ListMarker, style: TextStyle, x: Double, width: Double, top: Double
    ) throws -> Double {
        let items = try values.list(field)
        let em = style.size
        let boxSide = em * 0.7
        let indent: Double =
            switch marker {
            case .number: paragraph("\(items.count).", style, width: width).size.width + em * 0.4
            case .bullet: paragraph("•", style, width: width).size.width + em * 0.4
            case .checkbox: boxSide + em * 0.5
            case .none: 0
            }
        var y = top
        for (index, entry) in items.enumerated() {
            let text = paragraph(try values.fill(item, item: entry, of: field, at: index), style, width: width - indent)
            switch marker {
            case .number: marks.append(.text(paragraph("\(index + 1).", style, width: indent), x: x, y: y))
            case .bullet: marks.append(.text(paragraph("•", style, width: indent), x: x, y: y))
            case .checkbox:
                marks.append(.box(x: x, y: y + text.baseline - boxSide, side: boxSide, thickness: Self.ruleThickness))
            case .none: break
            }
            marks.append(.text(text, x: x + indent, y: y))
            y += text.size.height + em * 0.2
        }
        return y
    }

    /// Modules are whole printer dots and the code starts on a dot, so every module prints
    /// (and rasterises) as a crisp square; the code is at most `size` wide, quiet zone included.
    private func placeQR(
        _ field: String, size: Double, correction: QRCode.Correction, align: Alignment, x: Double, width: Double,
        top: Double
    ) throws -> Double {
        let code: QRCode
        do {
            code = try QRCode(try values.text(field), correction: correction)
        } catch is QRCode.EncodingError {
            throw LayoutRenderError.unencodableQR(field: field)
        }
        let modules = Double(code.size + 2 * Self.quietZone)
        let module = max(1, (points(size) / modules / dot).rounded(.down)) * dot
        let side = module * modules
        let left = snapped(x + offset(align, of: side, in: width))
        let y = snapped(top)
        marks.append(.qr(code, x: left + Double(Self.quietZone) * module, y: y + Double(Self.quietZone) * module, module: module))
        return y + side
    }

    private func snapped(_ position: Double) -> Double {
        (position / dot).rounded(.up) * dot
    }

    private func offset(_ align: Alignment, of size: Double, in width: Double) -> Double {
        switch align {
        case .left: 0
        case .center: (width - size) / 2
        case .right: width - size
        }
    }

    /// Wraps at word boundaries, and inside a word only when the word is wider than the
    /// line (a long code or URL); never adds a hyphen, which would change a code's text.
    private func paragraph(_ text: String, _ style: TextStyle, width: Double, boldFrom: Int? = nil) -> Paragraph {
        let layout = pango_layout_new(context)!
        let font = pango_font_description_new()
        pango_font_description_set_family(font, family)
        pango_font_description_set_absolute_size(font, style.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)

        let attributes = pango_attr_list_new()
        pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(0))
        if let boldFrom {
            let bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD)!
            bold.pointee.start_index = UInt32(boldFrom)
            pango_attr_list_insert(attributes, bold)
        }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)

        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        let alignment: PangoAlignment =
            switch style.align {
            case .left: PANGO_ALIGN_LEFT
            case .center: PANGO_ALIGN_CENTER
            case .right: PANGO_ALIGN_RIGHT
            }
        pango_layout_set_alignment(layout, alignment)
        pango_layout_set_text(layout, text, -1)
        return Paragraph(layout)
    }
}
