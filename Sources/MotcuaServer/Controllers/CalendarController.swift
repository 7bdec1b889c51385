import Foundation
import Hummingbird
import MotcuaCore
import MotcuaStore

/// The working-day calendar: holidays (lunar ones computed, then the yearly notice), due
/// dates counted in working days, and the notice and slot templates managers edit.
struct CalendarController {
    let store: Store
    let clock: WallClock
    let siteTime: SiteTime
    let calendar: CalendarCache
    let catalog: CatalogCache
    let horizon: SlotHorizon

    struct HolidayView: Encodable, Sendable {
        let date: String
        let name: String
        let nameEn: String
        let kind: Holiday.Kind
    }

    struct DueDateView: Encodable, Sendable {
        let receivedAt: String
        /// The working day the dossier counts as received on (after a cut-off, the next one).
        let receptionDay: String
        let workingDays: Int
        let dueDate: String
    }

    struct SyncView: Encodable, Sendable {
        let added: Int
        let removed: Int
        let closed: Int
        let displaced: [String]

        init(_ sync: SlotSync) {
            added = sync.added
            removed = sync.removed
            closed = sync.closed
            displaced = sync.displaced.map(\.description)
        }
    }

    struct NewTemplate: Decodable {
        let effectiveFrom: String
        let template: SlotTemplate
        let force: Bool?
    }

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("calendar/holidays") { request, _ in
            let year = try yearParameter(request.uri.queryParameters["year"].map(String.init))
            return JSONResponse(calendar.current.holidays(in: year).map {
                HolidayView(date: $0.date.iso, name: $0.name, nameEn: $0.nameEn, kind: $0.kind)
            })
        }
        group.get("calendar/due-date", use: dueDate)
        group.get("calendar/notices/{year}") { _, context in
            let year = try yearParameter(context.parameters.get("year"))
            let notice = try await store.holidayNotices().first { $0.year == year } ?? HolidayNotice(year: year)
            return JSONResponse(notice)
        }
    }

    func addManagerRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("calendar/notices/{year}") { request, context in
            let year = try yearParameter(context.parameters.get("year"))
            let notice = try await request.decodeJSON(HolidayNotice.self, context: context)
            guard notice.year == year else {
                throw APIError.invalid("year", vi: "year trong nội dung phải là \(year).", en: "year in the body must be \(year).")
            }
            try validate(notice)
            try await store.saveHolidayNotice(notice, by: auditName(context), at: clock.now)
            try await calendar.reload()
            let sync = try await horizon.sync(actor: auditName(context))
            return JSONResponse(SyncView(sync))
        }
        group.put("services/{id}/template") { request, context in
            let serviceId = try context.parameters.require("id")
            guard catalog.current.services.contains(where: { $0.id == serviceId }) else {
                throw APIError.notFound(LocalizedText(vi: "dịch vụ \(serviceId)", en: "service \(serviceId)"))
            }
            let body = try await request.decodeJSON(NewTemplate.self, context: context)
            let from = try siteTime.date(body.effectiveFrom, field: "effectiveFrom")
            try validate(body.template)
            try await store.saveTemplate(body.template, serviceId: serviceId, from: from)
            do {
                let sync = try await horizon.sync(from: from, capacity: .apply(force: body.force ?? false), actor: auditName(context))
                return JSONResponse(SyncView(sync))
            } catch CapacityRefusal.belowBooked(let slotIds, let booked, let wouldDisplace) {
                throw APIError.belowBooked(slots: slotIds.count, booked: booked, wouldDisplace: wouldDisplace.map { DisplacedBookingView($0, siteTime) })
            }
        }
    }

    /// A notice may reach into the years on either side (a swap across New Year) but no
    /// further, and every day off and closure says what it is.
    private func validate(_ notice: HolidayNotice) throws {
        let years = (notice.year - 1)...(notice.year + 1)
        let dates = notice.daysOff.enumerated().map { ("daysOff[\($0)].date", $1.date) }
            + notice.removed.enumerated().map { ("removed[\($0)]", $1) }
            + notice.swaps.enumerated().flatMap { [("swaps[\($0)].worked", $1.worked), ("swaps[\($0)].off", $1.off)] }
            + notice.closures.enumerated().map { ("closures[\($0)].date", $1.date) }
        if let (field, date) = dates.first(where: { !years.contains($0.1.year) }) {
            throw APIError.invalid(
                field, vi: "\(date.iso) nằm ngoài các năm \(years.lowerBound)–\(years.upperBound) của thông báo.",
                en: "\(date.iso) is outside the notice's years \(years.lowerBound)–\(years.upperBound)."
            )
        }
        if let index = notice.daysOff.firstIndex(where: { $0.name.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw APIError.invalid("daysOff[\(index)].name", vi: "Cần tên ngày nghỉ.", en: "A day off needs a name.")
        }
        if let index = notice.closures.firstIndex(where: { $0.reason.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw APIError.invalid("closures[\(index)].reason", vi: "Cần lý do đóng cửa.", en: "A closure needs a reason.")
        }
    }

    @Sendable func dueDate(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<DueDateView> {
        let query = request.uri.queryParameters
        // A "+" in an unencoded offset arrives as a space.
        let receivedText = query["receivedAt"].map { String($0).replacingOccurrences(of: " ", with: "+") }
        // Years the working calendar is kept for; before 1970 the zone's history has odd
        // offsets (+07:06:30) that no ISO 8601 reader takes back (found by the API fuzzer).
        guard let receivedText, let receivedAt = try? Date(receivedText, strategy: .iso8601),
              (2000..<2100).contains(Calendar(identifier: .gregorian).component(.year, from: receivedAt))
        else {
            throw APIError.invalid(
                "receivedAt", vi: "receivedAt phải là thời điểm ISO 8601 từ năm 2000 đến 2099, ví dụ 2027-02-03T09:00:00+07:00.",
                en: "receivedAt must be an ISO 8601 time in 2000–2099, e.g. 2027-02-03T09:00:00+07:00."
            )
        }
        let procedure = try query["procedure"].map { code in
            guard let procedure = catalog.current.procedures.procedure(code: String(code)) else {
                throw APIError.invalid("procedure", vi: "Không có thủ tục \(code).", en: "No procedure \(code).")
            }
            return procedure
        }
        guard let workingDays = query["workingDays"].flatMap({ Int($0) }) ?? procedure?.processingDays, (0...365).contains(workingDays) else {
            throw APIError.invalid(
                "workingDays", vi: "workingDays phải là số ngày làm việc từ 0 đến 365 (hoặc cho procedure).",
                en: "workingDays must be a number of working days from 0 to 365 (or give procedure)."
            )
        }
        let cutoff = procedure?.receptionCutoff
        let current = calendar.current
        return JSONResponse(DueDateView(
            receivedAt: siteTime.string(receivedAt),
            receptionDay: current.receptionDay(receivedAt: receivedAt, in: siteTime.timeZone, cutoff: cutoff).iso,
            workingDays: workingDays,
            dueDate: current.dueDate(receivedAt: receivedAt, workingDays: workingDays, in: siteTime.timeZone, cutoff: cutoff).iso
        ))
    }

    private func yearParameter(_ text: String?) throws -> Int {
        guard let text, let year = Int(text), (1900...2200).contains(year) else {
            throw APIError.invalid("year", vi: "year phải là một năm, ví dụ 2027.", en: "year must be a year, e.g. 2027.")
        }
        return year
    }

    private func validate(_ template: SlotTemplate) throws {
        guard (5...480).contains(template.slotMinutes) else {
            throw APIError.invalid("template.slotMinutes", vi: "slotMinutes phải từ 5 đến 480.", en: "slotMinutes must be from 5 to 480.")
        }
        guard (0...1000).contains(template.capacity) else {
            throw APIError.invalid("template.capacity", vi: "capacity phải từ 0 đến 1000.", en: "capacity must be from 0 to 1000.")
        }
        guard template.sessions.allSatisfy({ $0.start < $0.end }) else {
            throw APIError.invalid("template.sessions", vi: "Mỗi buổi phải kết thúc sau khi bắt đầu.", en: "Each session must end after it starts.")
        }
    }
}

func auditName(_ context: AppRequestContext) -> String {
    context.principal.map { "\($0.role.rawValue):\($0.name)" } ?? "unknown"
}

extension APIError {
    /// Lists who would be displaced, so the manager decides knowing whom staff must call.
    static func belowBooked(slots: Int, booked: Int, wouldDisplace: [DisplacedBookingView]) -> APIError {
        var error = APIError(
            .conflict, code: "below_booked", field: "capacity",
            vi: "\(slots) khung giờ đã có nhiều lịch hẹn hơn số chỗ mới (tới \(booked)). Xác nhận (force) để vẫn giảm: \(wouldDisplace.count) lịch hẹn sẽ bị dời và cần liên hệ.",
            en: "\(slots) slot(s) hold more bookings than the new capacity (up to \(booked)). Confirm (force) to lower anyway: \(wouldDisplace.count) booking(s) will be displaced and need a call."
        )
        error.displaced = wouldDisplace
        return error
    }
}
