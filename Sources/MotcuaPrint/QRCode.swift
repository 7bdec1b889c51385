import CQRencode
import Foundation

/// A QR code made by libqrencode, in byte mode so any UTF-8 payload (signed passes, URLs,
/// Vietnamese text) encodes as written.
public struct QRCode: Sendable, Equatable {
    /// How much of the code may be damaged and still read. Printed tickets get scuffed and
    /// folded, so they use a higher level than a code shown on a screen.
    public enum Correction: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    public enum EncodingError: Error, Equatable {
        /// Empty, or too long for the largest QR code at this correction level.
        case cannotEncode(bytes: Int)
    }

    /// Modules per side, without the quiet zone.
    public let size: Int
    /// QR version (1–40) libqrencode chose: the smallest that fits.
    public let version: Int
    private let dark: [Bool]

    public init(_ text: String, correction: Correction) throws {
        let bytes = Array(text.utf8)
        let made = bytes.withUnsafeBufferPointer { buffer in
            QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, correction.level)
        }
        guard !bytes.isEmpty, let code = made else { throw EncodingError.cannotEncode(bytes: bytes.count) }
        defer { QRcode_free(code) }
        size = Int(code.pointee.width)
        version = Int(code.pointee.version)
        // Bit 0 of each byte is the module's colour; the other bits are libqrencode's bookkeeping.
        dark = (0..<size * size).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool {
        dark[y * size + x]
    }

    /// An SVG drawing: one path of unit squares, scaled by the viewer, with the 4-module
    /// quiet zone the standard asks for.
    public func svg(quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                path += "M\(x + quietZone) \(y + quietZone)h1v1h-1z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// A greyscale bitmap in binary PGM (netpbm): `scale` pixels a module, with the quiet zone.
    public func pgm(scale: Int = 4, quietZone: Int = 4) -> Data {
        let side = (size + 2 * quietZone) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                for dy in 0..<scale {
                    let row = ((y + quietZone) * scale + dy) * side
                    for dx in 0..<scale { pixels[row + (x + quietZone) * scale + dx] = 0 }
                }
            }
        }
        return Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)
    }
}
