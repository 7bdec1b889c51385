import Foundation

/// A citizen's place in a slot: to submit a dossier at the desk or to see a clinic.
public struct Booking: Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Holds a place and is expected.
        case booked
        /// Released by the citizen; the place went back to the slot.
        case cancelled
        /// Arrived and joined the queue.
        case checkedIn = "checked_in"
        /// Did not come by the end of the slot plus the grace period.
        case noShow = "no_show"
        /// Pushed out when a manager forced the slot's capacity below its bookings; staff
        /// must contact the citizen (`needsContact`).
        case displaced

        /// Whether the booking takes one of its slot's places.
        public var holdsPlace: Bool { self == .booked || self == .checkedIn || self == .noShow }
    }

    public var code: BookingCode
    public var slotId: Int64
    public var serviceId: String
    public var start: Date
    public var end: Date
    public var citizen: Citizen
    public var status: Status
    public var createdAt: Date
    public var needsContact: Bool
    /// The office the citizen comes to when the centre books for one of its sites; nil for
    /// this node's own.
    public var siteId: String?

    public init(
        code: BookingCode, slotId: Int64, serviceId: String, start: Date, end: Date, citizen: Citizen,
        status: Status, createdAt: Date, needsContact: Bool, siteId: String? = nil
    ) {
        self.code = code
        self.slotId = slotId
        self.serviceId = serviceId
        self.start = start
        self.end = end
        self.citizen = citizen
        self.status = status
        self.createdAt = createdAt
        self.needsContact = needsContact
        self.siteId = siteId
    }
}

/// Why a booking, a cancellation or a move was refused. Each has its own code on the wire.
public enum BookingRefusal: Error, Equatable, Sendable {
    case slotNotFound
    case slotFull
    /// The slot takes nobody (closed, or capacity 0).
    case slotClosed
    /// The slot starts sooner than the lead time allows.
    case tooSoon(minimumMinutes: Int)
    /// The slot starts beyond the booking horizon.
    case tooFarAhead(maximumDays: Int)
    /// The person already holds a booking for this service that day.
    case duplicate
    /// The person already holds as many future bookings as allowed.
    case limitReached(maximum: Int)
    case bookingNotFound
    /// Cancelled, checked in, no-show or displaced: nothing left to change.
    case notActive
    /// Too close to the start to cancel or move.
    case cutoffPassed(minutes: Int)
}

/// The booking policy of a site; every figure is configurable.
public struct BookingRules: Sendable, Equatable {
    /// A slot can be booked up to this long before it starts.
    public var leadTimeMinutes = 30
    /// How far ahead slots can be booked.
    public var horizonDays = 30
    /// Future bookings one ID number may hold at once, across services.
    public var maximumFutureBookings = 3
    /// Cancelling or moving closes this long before the start.
    public var cancellationCutoffMinutes = 60
    /// A booking not checked in this long after its slot ends becomes a no-show.
    public var noShowGraceMinutes = 15

    public init() {}

    /// Whether a slot starting at `start` may be booked at `now`.
    public func checkTiming(slotStart start: Date, now: Date) throws(BookingRefusal) {
        guard start.timeIntervalSince(now) >= TimeInterval(leadTimeMinutes * 60) else {
            throw .tooSoon(minimumMinutes: leadTimeMinutes)
        }
        guard start.timeIntervalSince(now) <= TimeInterval(horizonDays * 86_400) else {
            throw .tooFarAhead(maximumDays: horizonDays)
        }
    }

    /// Whether a booking starting at `start` may still be cancelled or moved at `now`.
    public func checkCutoff(bookingStart start: Date, now: Date) throws(BookingRefusal) {
        guard start.timeIntervalSince(now) >= TimeInterval(cancellationCutoffMinutes * 60) else {
            throw .cutoffPassed(minutes: cancellationCutoffMinutes)
        }
    }
}
