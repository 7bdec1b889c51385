import Foundation
import Hummingbird
import MotcuaCore
import MotcuaPrint
import MotcuaStore

/// Booking a submission or clinic slot: from a kiosk or the provincial app, no role needed;
/// the unguessable booking code is what lets a citizen see, cancel or move their booking.
struct BookingController {
    let store: Store
    let clock: WallClock
    let rules: BookingRules
    let siteTime: SiteTime
    let site: SiteIdentity
    let catalog: CatalogCache
    let signer: PassSigner
    let printer: ReceiptPrinter

    struct SiteIdentity: Sendable {
        let id: String
        let name: String
        let address: String
    }

    struct NewBooking: Decodable {
        let slotId: Int64
        let citizen: CitizenInput
    }

    struct Move: Decodable {
        let slotId: Int64
    }

    struct BookingView: Encodable, Sendable {
        struct CitizenView: Encodable, Sendable {
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
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("bookings") { request, context in
            let body = try await request.decodeJSON(NewBooking.self, context: context)
            let citizen = try validated(body.citizen)
            let booking = try await refusing {
                try await store.book(
                    slotId: body.slotId, citizen: citizen, rules: rules, now: clock.now, timeZone: siteTime.timeZone,
                    newCode: { var generator = SystemRandomNumberGenerator(); return BookingCode.random(using: &generator) }
                )
            }
            context.logger.info("booking made", metadata: ["booking": "\(booking.code)", "slot": "\(booking.slotId)"])
            return JSONResponse(try view(booking), status: .created)
        }
        group.get("bookings/{code}") { _, context in
            JSONResponse(try view(try await booking(context)))
        }
        group.get("bookings/{code}/qr.svg") { _, context in
            // Shown on a screen and scanned at the kiosk: medium correction keeps it small.
            try QRCode(try pass(for: try await booking(context)), correction: .medium).svgResponse
        }
        group.get("bookings/{code}/receipt.pdf") { _, context in
            try printer.pdf(.booking, try paper(for: try await booking(context)))
        }
        group.post("bookings/{code}/print") { request, context in
            let booking = try await booking(context)
            return JSONResponse(try await printer.print(
                .booking, try paper(for: booking), document: "booking:\(booking.code.compact)",
                kioskId: request.uri.queryParameters["kiosk"].map(String.init), language: context.language
            ))
        }
        group.get("bookings/{code}/calendar.ics") { _, context in
            let booking = try await booking(context)
            let service = catalog.current.services.first { $0.id == booking.serviceId }
            let event = ICalendarEvent(
                uid: "\(booking.code.compact)@\(site.id).motcua",
                stamp: booking.createdAt, start: booking.start, end: booking.end,
                summary: "\(service?.name ?? booking.serviceId) – \(site.name)",
                location: site.address.isEmpty ? site.name : "\(site.name), \(site.address)",
                description: "Mã đặt lịch / Booking code: \(booking.code). Mang theo CCCD. / Bring your ID card.",
                reminderMinutes: 60
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "attachment; filename=\"\(booking.code.compact).ics\""],
                body: .init(byteBuffer: ByteBuffer(string: event.render()))
            )
        }
        group.post("bookings/{code}/cancel") { _, context in
            let code = try bookingCode(context)
            let booking = try await refusing { try await store.cancelBooking(code: code, rules: rules, now: clock.now) }
            context.logger.info("booking cancelled", metadata: ["booking": "\(booking.code)"])
            return JSONResponse(try view(booking))
        }
        group.post("bookings/{code}/reschedule") { request, context in
            let code = try bookingCode(context)
            let move = try await request.decodeJSON(Move.self, context: context)
            let booking = try await refusing {
                try await store.rescheduleBooking(code: code, toSlot: move.slotId, rules: rules, now: clock.now, timeZone: siteTime.timeZone)
            }
            context.logger.info("booking moved", metadata: ["booking": "\(booking.code)", "slot": "\(booking.slotId)"])
            return JSONResponse(try view(booking))
        }
    }

    private func validated(_ input: CitizenInput) throws -> Citizen {
        let year = LocalDate(clock.now, in: siteTime.timeZone).year
        switch Citizen.validate(input, referenceYear: year) {
        case .success(let citizen): return citizen
        case .failure(let failure): throw APIError(failure)
        }
    }

    private func bookingCode(_ context: AppRequestContext) throws -> BookingCode {
        let typed = try context.parameters.require("code")
        guard let code = BookingCode(parsing: typed.removingPercentEncoding ?? typed) else {
            throw APIError.bookingNotFound
        }
        return code
    }

    private func booking(_ context: AppRequestContext) async throws -> Booking {
        guard let booking = try await store.booking(code: try bookingCode(context)) else { throw APIError.bookingNotFound }
        return booking
    }

    /// The signed pass a site checks offline: valid from the day before the slot to its end.
    private func pass(for booking: Booking) throws -> String {
        try signer.sign(SignedPass(
            kind: .booking, code: booking.code.compact, site: site.id, serviceId: booking.serviceId,
            validFrom: booking.start.addingTimeInterval(-86_400), validUntil: booking.end, keyId: signer.keyId
        ))
    }

    /// The values of the booking confirmation layout.
    private func paper(for booking: Booking) throws -> [String: LayoutValue] {
        [
            "centreName": .text(site.name),
            "centreAddress": .text(site.address),
            "bookingCode": .text(booking.code.description),
            "serviceName": .text(catalog.current.services.first { $0.id == booking.serviceId }?.name ?? booking.serviceId),
            "appointmentDate": .text(siteTime.weekdayAndDay(booking.start)),
            "appointmentTime": .text("\(siteTime.clockTime(booking.start)) – \(siteTime.clockTime(booking.end))"),
            "citizenName": .text(booking.citizen.fullName),
            "pass": .text(try pass(for: booking)),
        ]
    }

    private func view(_ booking: Booking) throws -> BookingView {
        BookingView(
            code: booking.code.description, slotId: booking.slotId, serviceId: booking.serviceId,
            start: siteTime.string(booking.start), end: siteTime.string(booking.end),
            status: booking.status, needsContact: booking.needsContact,
            citizen: .init(
                fullName: booking.citizen.fullName,
                idNumber: "•••••••••" + booking.citizen.idNumber.suffix(3),
                phone: "•••••••" + booking.citizen.phone.suffix(3)
            ),
            qr: try pass(for: booking)
        )
    }

    /// Runs a store call, turning a booking refusal into its HTTP answer.
    private func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as BookingRefusal {
            throw APIError(refusal)
        }
    }
}

extension APIError {
    static let bookingNotFound = APIError(
        .notFound, code: "booking_not_found", field: "code",
        vi: "Không tìm thấy lịch hẹn với mã này.", en: "No booking has this code."
    )

    init(_ failure: FieldErrors) {
        let first = failure.errors[0]
        self.init(.unprocessableContent, code: first.code, field: first.field, vi: first.vi, en: first.en)
        details = failure.errors.map { Detail(field: $0.field, code: $0.code, message: LocalizedText(vi: $0.vi, en: $0.en)) }
    }

    init(_ refusal: BookingRefusal) {
        switch refusal {
        case .slotNotFound:
            self.init(.unprocessableContent, code: "slot_not_found", field: "slotId",
                      vi: "Không có khung giờ này.", en: "There is no such slot.")
        case .slotFull:
            self.init(.conflict, code: "slot_full", field: "slotId",
                      vi: "Khung giờ này đã hết chỗ. Xin chọn khung giờ khác.", en: "This slot is full. Please choose another.")
        case .slotClosed:
            self.init(.conflict, code: "slot_closed", field: "slotId",
                      vi: "Khung giờ này không nhận đặt lịch.", en: "This slot does not take bookings.")
        case .tooSoon(let minutes):
            self.init(.unprocessableContent, code: "too_soon", field: "slotId",
                      vi: "Chỉ đặt được khung giờ bắt đầu sau ít nhất \(minutes) phút nữa.",
                      en: "Slots can be booked up to \(minutes) minutes before they start.")
        case .tooFarAhead(let days):
            self.init(.unprocessableContent, code: "too_far_ahead", field: "slotId",
                      vi: "Chỉ đặt được lịch trong vòng \(days) ngày tới.", en: "Slots can be booked at most \(days) days ahead.")
        case .duplicate:
            self.init(.conflict, code: "duplicate_booking", field: "citizen.idNumber",
                      vi: "Số định danh này đã có lịch hẹn cho dịch vụ này trong ngày.",
                      en: "This ID number already has a booking for this service that day.")
        case .limitReached(let maximum):
            self.init(.conflict, code: "booking_limit", field: "citizen.idNumber",
                      vi: "Mỗi người chỉ giữ được tối đa \(maximum) lịch hẹn sắp tới.",
                      en: "One person may hold at most \(maximum) upcoming bookings.")
        case .bookingNotFound:
            self = .bookingNotFound
        case .notActive:
            self.init(.conflict, code: "booking_not_active", field: "code",
                      vi: "Lịch hẹn này đã hủy, đã đến hoặc đã hết hiệu lực.",
                      en: "This booking was cancelled, already used or is no longer active.")
        case .cutoffPassed(let minutes):
            self.init(.conflict, code: "cancellation_closed", field: "code",
                      vi: "Không thể hủy hoặc đổi lịch trong vòng \(minutes) phút trước giờ hẹn.",
                      en: "Bookings cannot be cancelled or moved within \(minutes) minutes of the start.")
        }
    }
}
