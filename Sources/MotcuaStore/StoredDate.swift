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

extension Date {
    /// The date GRDB stored as `storedText`, read back by hand; nil for any other text.
    /// GRDB reads dates through a Calendar, which cost more than the query when a search
    /// decodes hundreds of slots, and every booking reads its slot on the one writer.
    init?(storedText text: String) {
        var text = text
        guard let seconds = text.withUTF8({ Self.secondsSinceReferenceDate(storedText: $0) }) else { return nil }
        self.init(timeIntervalSinceReferenceDate: seconds)
    }

    private static func secondsSinceReferenceDate(storedText bytes: UnsafeBufferPointer<UInt8>) -> TimeInterval? {
        guard bytes.count == 23, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: ".") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let days = era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
        let wholeSeconds = days * 86_400 + hour * 3_600 + minute * 60 + second - 978_307_200
        return TimeInterval(wholeSeconds) + TimeInterval(millisecond) / 1000
    }
}

extension Row {
    /// The date in column `index`: by hand when GRDB stored it as text (`Date(storedText:)`),
    /// by GRDB otherwise.
    func storedDate(atIndex index: Int) throws -> Date {
        if case .string(let text) = (self[index] as DatabaseValue).storage, let date = Date(storedText: text) { return date }
        return try decode(Date.self, atIndex: index)
    }
}
