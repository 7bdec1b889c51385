import Foundation

/// A numbered place in the hall's queue: taken at a kiosk (walk-in) or made when a booking
/// checks in, called to a counter, served.
public struct Ticket: Sendable, Equatable, Identifiable {
    public enum Status: String, Codable, Sendable {
        case waiting
        /// Called to a counter and being served there.
        case called
        case done
        /// Called and recalled without the citizen coming forward.
        case noShow = "no_show"
    }

    public var id: Int64
    public var serviceId: String
    /// The site's local day the number belongs to; numbering restarts each day.
    public var day: LocalDate
    public var sequence: Int
    /// What screens, the voice and the printout say: prefix and three digits, "A012".
    public var number: String
    public var status: Status
    public var priority: PriorityCategory?
    public var bookingCode: BookingCode?
    public var bookedStart: Date?
    /// The counter serving it, or the one it was transferred to.
    public var counterId: Int?
    /// Kept across transfers: a transferred citizen does not lose their place in time.
    public var issuedAt: Date
    public var calledAt: Date?
    public var recalls: Int
    public var finishedAt: Date?
    /// 1 (not satisfied) to 4 (very satisfied), once per ticket.
    public var rating: Int?

    public init(
        id: Int64, serviceId: String, day: LocalDate, sequence: Int, number: String, status: Status,
        priority: PriorityCategory?, bookingCode: BookingCode?, bookedStart: Date?, counterId: Int?,
        issuedAt: Date, calledAt: Date?, recalls: Int, finishedAt: Date?, rating: Int?
    ) {
        self.id = id
        self.serviceId = serviceId
        self.day = day
        self.sequence = sequence
        self.number = number
        self.status = status
        self.priority = priority
        self.bookingCode = bookingCode
        self.bookedStart = bookedStart
        self.counterId = counterId
        self.issuedAt = issuedAt
        self.calledAt = calledAt
        self.recalls = recalls
        self.finishedAt = finishedAt
        self.rating = rating
    }

    /// "A" and 12 make "A012"; past 999 the number simply grows ("A1000").
    public static func number(prefix: String, sequence: Int) -> String {
        let digits = String(sequence)
        return prefix + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
