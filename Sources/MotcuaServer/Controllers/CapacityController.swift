import Foundation
import Hummingbird
import MotcuaCore
import MotcuaStore

/// Managers change how many people slots take: one slot, a whole day, or a closure of a day
/// or part of it. Lowering below the bookings is refused with 409 `below_booked` unless
/// forced; then the displaced bookings are listed for staff to contact.
struct CapacityController {
    let store: Store
    let clock: WallClock
    let siteTime: SiteTime
    let catalog: CatalogCache

    struct NewCapacity: Decodable {
        let capacity: Int
        let force: Bool?
        let reason: String?
    }

    struct Closure: Decodable {
        let date: String
        /// Part of the day, local time "HH:MM"; the whole day when both are absent.
        let from: String?
        let to: String?
        let reason: String
        let force: Bool?
    }

    struct ChangeView: Encodable, Sendable {
        let slots: [SlotView]
        let displaced: [DisplacedBookingView]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("slots/{id}/capacity") { request, context in
            let body = try await request.decodeJSON(NewCapacity.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            return try await change([id], to: body.capacity, force: body.force, reason: body.reason, context)
        }
        group.put("services/{id}/days/{date}/capacity") { request, context in
            let body = try await request.decodeJSON(NewCapacity.self, context: context)
            let (serviceId, day) = try serviceDay(context.parameters.require("id"), context.parameters.require("date"), field: "date")
            let ids = try await store.slotIds(
                serviceId: serviceId, from: day.start(in: siteTime.timeZone), to: day.adding(days: 1).start(in: siteTime.timeZone)
            )
            return try await change(ids, to: body.capacity, force: body.force, reason: body.reason, context)
        }
        group.post("services/{id}/closures") { request, context in
            let body = try await request.decodeJSON(Closure.self, context: context)
            let (serviceId, day) = try serviceDay(context.parameters.require("id"), body.date, field: "date")
            let midnight = day.start(in: siteTime.timeZone)
            let from = try time(body.from, field: "from").map { midnight.addingTimeInterval(TimeInterval($0.minutes * 60)) } ?? midnight
            let to = try time(body.to, field: "to").map { midnight.addingTimeInterval(TimeInterval($0.minutes * 60)) }
                ?? day.adding(days: 1).start(in: siteTime.timeZone)
            guard from < to else {
                throw APIError.invalid("to", vi: "to phải sau from.", en: "to must be after from.")
            }
            let ids = try await store.slotIds(serviceId: serviceId, from: from, to: to)
            return try await change(ids, to: 0, force: body.force, reason: body.reason, context)
        }
        group.get("displaced-bookings") { _, context in
            let bookings = try await store.bookingsNeedingContact()
            // Phones in full, so staff can call: each is a logged read.
            try await store.logPersonalDataRead(subjects: bookings.map { "booking:\($0.code.compact)" }, actor: auditName(context), now: clock.now)
            return JSONResponse(bookings.map { DisplacedBookingView($0, siteTime) })
        }
    }

    private func change(
        _ ids: [Int64], to capacity: Int, force: Bool?, reason: String?, _ context: AppRequestContext
    ) async throws -> JSONResponse<ChangeView> {
        guard (0...1000).contains(capacity) else {
            throw APIError.invalid("capacity", vi: "capacity phải từ 0 đến 1000.", en: "capacity must be from 0 to 1000.")
        }
        guard !ids.isEmpty else {
            throw APIError(.notFound, code: "slot_not_found", vi: "Không có khung giờ nào trong khoảng này.", en: "No slots in that range.")
        }
        let actor = auditName(context)
        do {
            let change = try await store.setCapacity(
                slotIds: ids, capacity: capacity, force: force ?? false, actor: actor, reason: reason, now: clock.now
            )
            context.logger.info("capacity changed", metadata: [
                "slots": "\(ids.count)", "capacity": "\(capacity)", "displaced": "\(change.displaced.count)", "actor": "\(actor)",
            ])
            return JSONResponse(ChangeView(slots: change.slots.map { SlotView($0, siteTime) }, displaced: change.displaced.map { DisplacedBookingView($0, siteTime) }))
        } catch CapacityRefusal.slotNotFound {
            throw APIError.notFound(LocalizedText(vi: "khung giờ", en: "slot"))
        } catch CapacityRefusal.belowBooked(let slotIds, let booked, let wouldDisplace) {
            throw APIError.belowBooked(slots: slotIds.count, booked: booked, wouldDisplace: wouldDisplace.map { DisplacedBookingView($0, siteTime) })
        }
    }

    private func serviceDay(_ serviceId: String, _ date: String, field: String) throws -> (String, LocalDate) {
        guard catalog.current.services.contains(where: { $0.id == serviceId }) else {
            throw APIError.notFound(LocalizedText(vi: "dịch vụ \(serviceId)", en: "service \(serviceId)"))
        }
        return (serviceId, try siteTime.date(date, field: field))
    }

    private func time(_ text: String?, field: String) throws -> TimeOfDay? {
        guard let text else { return nil }
        guard let time = TimeOfDay(text) else {
            throw APIError.invalid(field, vi: "\(field) phải là giờ dạng HH:MM.", en: "\(field) must be a time written HH:MM.")
        }
        return time
    }
}

/// A booking a capacity change pushes out (or would), as the manager needs it to phone the
/// citizen and offer another time.
struct DisplacedBookingView: Codable, Sendable {
    let code: String
    let slotId: Int64
    let serviceId: String
    let start: String
    let fullName: String
    /// In full: staff call the citizen.
    let phone: String

    init(_ booking: Booking, _ siteTime: SiteTime) {
        code = booking.code.description
        slotId = booking.slotId
        serviceId = booking.serviceId
        start = siteTime.string(booking.start)
        fullName = booking.citizen.fullName
        phone = booking.citizen.phone
    }
}
