import Foundation
import HTTPTypes
import Logging
import MotcuaCore
import MotcuaSync
import NIOHTTP1
import Synchronization

/// The centre's calendar as a site reaches it: the same API a kiosk calls at a standalone
/// node, over HTTP with the site's token (the centre records the site as the booking's
/// office). The centre's refusals reach the kiosk as they were given, in the citizen's
/// language; an unreachable or failing centre is one plain 503 saying booking is
/// unavailable for now, while tickets, dossiers and QR check-ins go on at the site.
struct CentreBookingCalendar: BookingCalendar {
    let client: CentreClient
    let logger: Logger
    /// After the centre failed to answer, calls fail at once for `pause`: a kiosk waits for
    /// one timeout at most, not one on every screen, and the log gets one line per outage.
    private let outage = Outage()
    private let pause: Duration = .seconds(15)

    init(link: CentreLink, logger: Logger) {
        client = CentreClient(link: link, waitedOn: true)
        self.logger = logger
    }

    private final class Outage: Sendable {
        let until = Mutex<ContinuousClock.Instant?>(nil)
    }

    func slots(serviceId: String, from: LocalDate, to: LocalDate, language: Language) async throws -> [SlotView] {
        var query = URLComponents()
        query.queryItems = [.init(name: "service", value: serviceId), .init(name: "from", value: from.iso), .init(name: "to", value: to.iso)]
        return try await call(.GET, "/api/v1/slots?\(query.percentEncodedQuery ?? "")", language: language)
    }

    func book(slotId: Int64, citizen: Citizen, siteId: String?, language: Language) async throws -> BookingView {
        let input = CitizenInput(fullName: citizen.fullName, idNumber: citizen.idNumber, phone: citizen.phone)
        return try await call(.POST, "/api/v1/bookings", body: NewBooking(slotId: slotId, citizen: input), language: language)
    }

    func booking(_ code: BookingCode, language: Language) async throws -> BookingView {
        try await call(.GET, "/api/v1/bookings/\(code.compact)", language: language)
    }

    func cancel(_ code: BookingCode, language: Language) async throws -> BookingView {
        try await call(.POST, "/api/v1/bookings/\(code.compact)/cancel", language: language)
    }

    func reschedule(_ code: BookingCode, toSlot slotId: Int64, language: Language) async throws -> BookingView {
        try await call(.POST, "/api/v1/bookings/\(code.compact)/reschedule", body: Move(slotId: slotId), language: language)
    }

    private func call<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Move>.none, language: Language
    ) async throws -> Answer {
        if let until = outage.until.withLock({ $0 }), ContinuousClock.now < until { throw APIError.calendarUnavailable }
        let answer: (status: Int, body: Data)
        do {
            answer = try await client.relay(method, path, body: try body.map { try JSONEncoder().encode($0) }, language: language.rawValue)
        } catch {
            outage.until.withLock { $0 = .now + pause }
            logger.warning("booking calendar unreachable", metadata: ["error": "\(error)"])
            throw APIError.calendarUnavailable
        }
        outage.until.withLock { $0 = nil }
        switch answer.status {
        case 200..<300:
            if let decoded = try? JSONDecoder().decode(Answer.self, from: answer.body) { return decoded }
        // The citizen's own mistakes and the calendar's refusals: what the centre said.
        // A refused site token (401/403) or the centre's own limits are the link's
        // trouble, not the citizen's, and fall through to "unavailable".
        case 400..<500 where ![401, 403, 429].contains(answer.status):
            if let refusal = try? JSONDecoder().decode(APIError.Body.self, from: answer.body) {
                throw APIError(status: HTTPResponse.Status(code: answer.status), relaying: refusal)
            }
        default:
            break
        }
        logger.error("the centre's booking calendar answered unexpectedly", metadata: [
            "status": "\(answer.status)", "path": "\(path.prefix { $0 != "?" })",
        ])
        throw APIError.calendarUnavailable
    }

    private struct NewBooking: Encodable {
        let slotId: Int64
        let citizen: CitizenInput
    }

    private struct Move: Encodable {
        let slotId: Int64
    }
}

extension APIError {
    static var calendarUnavailable: APIError {
        var error = APIError(
            .serviceUnavailable, code: "calendar_unavailable",
            vi: "Tạm thời chưa đặt lịch được vì không kết nối được trung tâm. Quý vị vẫn lấy số và nộp hồ sơ bình thường; xin thử đặt lịch lại sau.",
            en: "Booking is unavailable for now: the centre cannot be reached. Tickets and dossiers work as usual; please try booking again later."
        )
        error.headers[.retryAfter] = "30"
        return error
    }
}
