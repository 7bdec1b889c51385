import Foundation
import Hummingbird
import MotcuaCore
import MotcuaStore

/// What a site offers: services, counters, procedures, and the slots to book.
struct CatalogController {
    let store: Store
    /// The slots come from where bookings are made: at a site, the centre.
    let bookings: any BookingCalendar
    let catalog: CatalogCache
    let siteTime: SiteTime

    /// The longest range one slot query may cover, so a single request stays cheap.
    static let maximumSlotRangeDays = 62

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("services") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: catalog.current.servicesJSON))
            )
        }
        group.get("procedures") { request, _ in
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            return JSONResponse(catalog.current.procedures.search(query))
        }
        group.get("procedures/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let procedure = catalog.current.procedures.procedure(code: code) else {
                throw APIError.notFound(LocalizedText(vi: "thủ tục \(code)", en: "procedure \(code)"))
            }
            return JSONResponse(procedure)
        }
        group.get("counters") { _, _ in
            JSONResponse(try await store.counters())
        }
        group.get("slots", use: slots)
    }

    @Sendable func slots(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[SlotView]> {
        let query = request.uri.queryParameters
        guard let serviceId = query["service"].map(String.init),
              catalog.current.services.contains(where: { $0.id == serviceId }) else {
            throw APIError.invalid(
                "service", vi: "service phải là mã một dịch vụ của điểm này.", en: "service must be the id of one of this site's services."
            )
        }
        let (from, to) = try siteTime.dateRange(query, maximumDays: Self.maximumSlotRangeDays)
        return JSONResponse(try await bookings.slots(serviceId: serviceId, from: from, to: to, language: context.language))
    }
}
