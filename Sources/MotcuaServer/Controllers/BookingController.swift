import Foundation
import Hummingbird
import MotcuaCore
import MotcuaPrint
import MotcuaStore

/// Booking a submission or clinic slot: from a kiosk or the provincial app, no role needed;
/// the unguessable booking code is what lets a citizen see, cancel or move their booking.
/// The calendar is this node's own or, at a site, the centre's; confirmations, calendar
/// files and prints are made here from what it answers.
struct BookingController {
    let bookings: any BookingCalendar
    let clock: WallClock
    let siteTime: SiteTime
    let site: SiteIdentity
    let catalog: CatalogCache
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

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("bookings") { request, context in
            let body = try await request.decodeJSON(NewBooking.self, context: context)
            let citizen = try validated(body.citizen)
            // A site booking at the centre books for its own office.
            let office = context.principal.flatMap { $0.role == .site ? $0.name : nil }
            let booking = try await bookings.book(slotId: body.slotId, citizen: citizen, siteId: office, language: context.language)
            context.logger.info("booking made", metadata: ["booking": "\(booking.code)", "slot": "\(booking.slotId)"])
            return JSONResponse(booking, status: .created)
        }
        group.get("bookings/{code}") { _, context in
            JSONResponse(try await booking(context))
        }
        group.get("bookings/{code}/qr.svg") { _, context in
            // Shown on a screen and scanned at the kiosk: medium correction keeps it small.
            try QRCode(try await booking(context).qr, correction: .medium).svgResponse
        }
        group.get("bookings/{code}/receipt.pdf") { _, context in
            try printer.pdf(.booking, try paper(for: try await booking(context)))
        }
        group.post("bookings/{code}/print") { request, context in
            let booking = try await booking(context)
            return JSONResponse(try await printer.print(
                .booking, try paper(for: booking), document: "booking:\(booking.compactCode)",
                kioskId: request.uri.queryParameters["kiosk"].map(String.init), language: context.language
            ))
        }
        group.get("bookings/{code}/calendar.ics") { _, context in
            let booking = try await booking(context)
            let service = catalog.current.services.first { $0.id == booking.serviceId }
            let event = ICalendarEvent(
                uid: "\(booking.compactCode)@\(booking.siteId).motcua",
                stamp: try siteTime.instant(booking.createdAt), start: try siteTime.instant(booking.start), end: try siteTime.instant(booking.end),
                summary: "\(service?.name ?? booking.serviceId) – \(site.name)",
                location: site.address.isEmpty ? site.name : "\(site.name), \(site.address)",
                description: "Mã đặt lịch / Booking code: \(booking.code). Mang theo CCCD. / Bring your ID card.",
                reminderMinutes: 60
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "attachment; filename=\"\(booking.compactCode).ics\""],
                body: .init(byteBuffer: ByteBuffer(string: event.render()))
            )
        }
        group.post("bookings/{code}/cancel") { _, context in
            let booking = try await bookings.cancel(try bookingCode(context), language: context.language)
            context.logger.info("booking cancelled", metadata: ["booking": "\(booking.code)"])
            return JSONResponse(booking)
        }
        group.post("bookings/{code}/reschedule") { request, context in
            let code = try bookingCode(context)
            let move = try await request.decodeJSON(Move.self, context: context)
            let booking = try await bookings.reschedule(code, toSlot: move.slotId, language: context.language)
            context.logger.info("booking moved", metadata: ["booking": "\(booking.code)", "slot": "\(booking.slotId)"])
            return JSONResponse(booking)
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

    private func booking(_ context: AppRequestContext) async throws -> BookingView {
        try await bookings.booking(try bookingCode(context), language: context.language)
    }

    /// The values of the booking confirmation layout.
    private func paper(for booking: BookingView) throws -> [String: LayoutValue] {
        let start = try siteTime.instant(booking.start)
        return [
            "centreName": .text(site.name),
            "centreAddress": .text(site.address),
            "bookingCode": .text(booking.code),
            "serviceName": .text(catalog.current.services.first { $0.id == booking.serviceId }?.name ?? booking.serviceId),
            "appointmentDate": .text(siteTime.weekdayAndDay(start)),
            "appointmentTime": .text("\(siteTime.clockTime(start)) – \(siteTime.clockTime(try siteTime.instant(booking.end)))"),
            "citizenName": .text(booking.citizen.fullName),
            "pass": .text(booking.qr),
        ]
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
