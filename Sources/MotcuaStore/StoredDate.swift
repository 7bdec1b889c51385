import Foundation
import GRDB

extension Date {
    /// The text GRDB stores for a date ("yyyy-MM-dd HH:mm:ss.SSS" in UTC, to the nearest
    /// millisecond, halves up, as Foundation's formatter rounds), written by hand: going through GRDB's DateFormatter cost more than the
    /// statements on the hottest writes. Comparisons in SQL need exactly GRDB's format,
    /// which a test pins.
    var storedText: String {
        let milliseconds = Int64(((timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down))
        var seconds = time_t(milliseconds.floorDivided(by: 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2) + " "
            + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2) + "."
            + digits(Int32(milliseconds - milliseconds.floorDivided(by: 1000) * 1000), 3)
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        (self >= 0 ? self : self - divisor + 1) / divisor
    }
}
