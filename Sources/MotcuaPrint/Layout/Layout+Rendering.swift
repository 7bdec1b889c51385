internal import CPrintLibraries
import Foundation

extension Layout {
    /// A PDF with one page per copy, each the page's width and as tall as its content (a
    /// roll is cut there) or the sheet's height, whichever is more.
    public func pdf(_ values: [String: LayoutValue]) throws -> Data {
        try PrintLibraries.load()
        let pages = try (copies.isEmpty ? [nil] : copies.map(Optional.some)).map { try typeset(values, copy: $0) }
        let sink = Sink()
        let surface = cairo_pdf_surface_create_for_stream(
            Sink.write, Unmanaged.passUnretained(sink).toOpaque(), pages[0].width, pages[0].height)
        defer { cairo_surface_destroy(surface) }
        let cairo = cairo_create(surface)!
        defer { cairo_destroy(cairo) }
        for page in pages {
            cairo_pdf_surface_set_size(surface, page.width, page.height)
            page.draw(on: cairo)
            cairo_show_page(cairo)
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface))
        return sink.data
    }

    /// One copy (the first unless told) as a PNG at the page's dpi, on white.
    public func png(_ values: [String: LayoutValue], copy: Int = 0) throws -> Data {
        try PrintLibraries.load()
        precondition(copy == 0 || copies.indices.contains(copy), "the layout has \(copies.count) copies")
        let page = try typeset(values, copy: copies.isEmpty ? nil : copies[copy])
        let scale = Double(self.page.dpi) / 72
        let surface = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, Int32((page.width * scale).rounded(.up)), Int32((page.height * scale).rounded(.up)))
        defer { cairo_surface_destroy(surface) }
        let cairo = cairo_create(surface)!
        defer { cairo_destroy(cairo) }
        cairo_set_source_rgb(cairo, 1, 1, 1)
        cairo_paint(cairo)
        cairo_scale(cairo, scale, scale)
        page.draw(on: cairo)
        cairo_surface_flush(surface)
        let sink = Sink()
        try check(cairo_surface_write_to_png_stream(surface, Sink.write, Unmanaged.passUnretained(sink).toOpaque()))
        return sink.data
    }
}

private func check(_ status: cairo_status_t) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw LayoutRenderError.cairo(String(cString: cairo_status_to_string(status)))
    }
}

/// Collects what a Cairo surface writes, so renders stay in memory.
private final class Sink {
    var data = Data()

    static let write: cairo_write_func_t = { closure, bytes, length in
        let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
        sink.data.append(bytes!, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}

extension TypesetPage {
    func draw(on cairo: OpaquePointer) {
        cairo_set_source_rgb(cairo, 0, 0, 0)
        for mark in marks {
            switch mark {
            case .text(let paragraph, let x, let y):
                cairo_move_to(cairo, x, y)
                pango_cairo_show_layout(cairo, paragraph.layout)
            case .rule(let x, let y, let width, let thickness):
                cairo_rectangle(cairo, x, y, width, thickness)
                cairo_fill(cairo)
            case .box(let x, let y, let side, let thickness):
                cairo_set_line_width(cairo, thickness)
                cairo_rectangle(cairo, x + thickness / 2, y + thickness / 2, side - thickness, side - thickness)
                cairo_stroke(cairo)
            case .qr(let code, let x, let y, let module):
                // Each row's runs of dark modules, as one path in module units: a butt-capped
                // stroke one module thick covers exactly the run's rectangle with two points
                // where a filled rectangle takes four, and Cairo prints every coordinate into
                // the PDF with snprintf, which is most of a ticket's render time. One path, so
                // neighbouring runs merge without the hairline seams separate shapes can leave.
                cairo_save(cairo)
                cairo_translate(cairo, x, y)
                cairo_scale(cairo, module, module)
                for row in 0..<code.size {
                    var column = 0
                    while column < code.size {
                        guard code.isDark(x: column, y: row) else {
                            column += 1
                            continue
                        }
                        cairo_move_to(cairo, Double(column), Double(row) + 0.5)
                        while column < code.size, code.isDark(x: column, y: row) { column += 1 }
                        cairo_line_to(cairo, Double(column), Double(row) + 0.5)
                    }
                }
                cairo_set_line_width(cairo, 1)
                cairo_set_line_cap(cairo, CAIRO_LINE_CAP_BUTT)
                cairo_stroke(cairo)
                cairo_restore(cairo)
            }
        }
    }
}
