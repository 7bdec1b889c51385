import Foundation
import MotcuaCore
import MotcuaStore

/// Where slots are booked. Standalone and at the centre, this node's own store; at a site,
/// the centre's calendar over HTTP (`CentreBookingCalendar`), so two offices can never give
/// away the same place. Both answer in the shapes of the public API.
protocol BookingCalendar: Sendable {
    func slots(serviceId: String, from: LocalDate, to: LocalDate, language: Language) async throws -> [SlotView]
    /// `siteId`: the office the booking is for when a site books at the centre.
    func book(slotId: Int64, citizen: Citizen, siteId: String?, language: Language) async throws -> BookingView
    func booking(_ code: BookingCode, language: Language) async throws -> BookingView
    func cancel(_ code: BookingCode, language: Language) async throws -> BookingView
    func reschedule(_ code: BookingCode, toSlot slotId: Int64, language: Language) async throws -> BookingView
}

/// A booking as a citizen may see it: ID and phone masked, with its signed pass.
struct BookingView: Codable, Sendable {
    struct CitizenView: Codable, Sendable {
        let fullName: String
        /// Only the last digits, enough for the citizen to recognise their own booking.
        let idNumber: String
        let phone: String
    }
    let code: String
    let slotId: Int64
    let serviceId: String
    let start: String
    let end: String
    let status: Booking.Status
    let needsContact: Bool
    let citizen: CitizenView
    /// The signed pass to show as a QR code; a site verifies it offline.
    let qr: String
    /// The office the citizen comes to.
    let siteId: String
    let createdAt: String

    /// The code without its hyphen, as file names and print jobs carry it.
    var compactCode: String { BookingCode(parsing: code)?.compact ?? code }
}

/// The calendar in this node's own store.
struct StoreBookingCalendar: BookingCalendar {
    let store: Store
    let clock: WallClock
    let rules: BookingRules
    let siteTime: SiteTime
    /// This node's site, named in the passes of bookings made for it.
    let siteId: String
    let signer: PassSigner

    func slots(serviceId: String, from: LocalDate, to: LocalDate, language: Language) async throws -> [SlotView] {
        let zone = siteTime.timeZone
        return try await store.slots(serviceId: serviceId, from: from.start(in: zone), to: to.adding(days: 1).start(in: zone))
            .map { SlotView($0, siteTime) }
    }

    func book(slotId: Int64, citizen: Citizen, siteId: String?, language: Language) async throws -> BookingView {
        try view(try await refusing {
            try await store.book(
                slotId: slotId, citizen: citizen, siteId: siteId, rules: rules, now: clock.now, timeZone: siteTime.timeZone
            )
        })
    }

    func booking(_ code: BookingCode, language: Language) async throws -> BookingView {
        guard let booking = try await store.booking(code: code) else { throw APIError.bookingNotFound }
        return try view(booking)
    }

    func cancel(_ code: BookingCode, language: Language) async throws -> BookingView {
        try view(try await refusing { try await store.cancelBooking(code: code, rules: rules, now: clock.now) })
    }

    func reschedule(_ code: BookingCode, toSlot slotId: Int64, language: Language) async throws -> BookingView {
        try view(try await refusing {
            try await store.rescheduleBooking(code: code, toSlot: slotId, rules: rules, now: clock.now, timeZone: siteTime.timeZone)
        })
    }

    private func view(_ booking: Booking) throws -> BookingView {
        let site = booking.siteId ?? siteId
        return BookingView(
            code: booking.code.description, slotId: booking.slotId, serviceId: booking.serviceId,
            start: siteTime.string(booking.start), end: siteTime.string(booking.end),
            status: booking.status, needsContact: booking.needsContact,
            citizen: .init(
                fullName: booking.citizen.fullName,
                idNumber: "•••••••••" + booking.citizen.idNumber.suffix(3),
                phone: "•••••••" + booking.citizen.phone.suffix(3)
            ),
            qr: try signer.sign(.booking(
                code: booking.code, site: site, serviceId: booking.serviceId, start: booking.start, end: booking.end, keyId: signer.keyId
            )),
            siteId: site, createdAt: siteTime.string(booking.createdAt)
        )
    }

    /// Runs a store call, turning a booking refusal into its HTTP answer.
    private func refusing(_ body: () async throws -> Booking) async throws -> Booking {
        do {
            return try await body()
        } catch let refusal as BookingRefusal {
            throw APIError(refusal)
        }
    }
}
