import PrintTestSupport
import Foundation

/// A one-page PDF written by hand (Helvetica, one line of ASCII text), so printing tests
/// need no renderer; poppler's pdftotext reads it back.
enum TicketPDF {
    static func make(_ text: String) -> Data {
        let content = "BT /F1 18 Tf 20 60 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 227 120] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }

    static func text(of pdf: Data) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ticket-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await PrivateCupsd.run("/usr/bin/pdftotext", file.path, "-").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
