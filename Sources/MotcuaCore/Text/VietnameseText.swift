import Foundation

/// Text rules for Vietnamese: everything stored is NFC, and search compares folded keys.
public enum VietnameseText {
    /// Canonical composition (NFC). Input from kiosks, scanners and files may arrive
    /// decomposed (NFD); storing one form keeps equality and indexes honest.
    public static func nfc(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// A search key: lower case, tone and vowel marks removed, đ folded to d, runs of
    /// white space collapsed. "Đăng  ký KHAI SINH" and "dang ky khai sinh" share a key.
    public static func searchKey(_ text: String) -> String {
        var key = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            default:
                break
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace {
                key.append(" ")
                pendingSpace = false
            }
            switch scalar {
            case "đ", "Đ": key.append("d")
            default: key.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(key)
    }
}
