import Hummingbird
import MotcuaPrint

extension QRCode {
    /// The code as an SVG response, for kiosk and app screens (printers get it inside the
    /// rendered receipt instead).
    var svgResponse: Response {
        Response(
            status: .ok,
            headers: [.contentType: "image/svg+xml", .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: svg()))
        )
    }
}
