import Foundation
import Hummingbird
import MotcuaCore
import MotcuaStore

/// A person's rights over their data, exercised through a manager: everything held about
/// them, and its erasure. The ID number travels in the body, never in a URL (URLs end up
/// in proxies' logs). Both are in the personal-data access log, as is every other read.
struct PrivacyController {
    let store: Store
    let clock: WallClock
    let siteTime: SiteTime

    struct Person: Decodable {
        let idNumber: String
    }

    /// A booking with the person in full: the export is for the person themself.
    struct PersonBookingView: Encodable, Sendable {
        let code: String
        let serviceId: String
        let start: String
        let end: String
        let status: Booking.Status
        let fullName: String
        let idNumber: String
        let phone: String
        let createdAt: String
    }

    struct ExportView: Encodable, Sendable {
        let bookings: [PersonBookingView]
        let dossiers: [DossierView]
    }

    struct ErasureView: Encodable, Sendable {
        let bookings: Int
        let dossiers: Int
    }

    struct AccessView: Encodable, Sendable {
        let at: String
        let actor: String
        let action: PersonalDataAccess.Action
        let subject: String
    }

    func addRoutes(to managers: RouterGroup<AppRequestContext>) {
        managers.post("privacy/person/export") { request, context in
            let idNumber = try await idNumber(request, context)
            let records = try await store.personRecords(idNumber: idNumber, actor: auditName(context), now: clock.now)
            return JSONResponse(ExportView(
                bookings: records.bookings.map {
                    PersonBookingView(
                        code: $0.code.description, serviceId: $0.serviceId, start: siteTime.string($0.start), end: siteTime.string($0.end),
                        status: $0.status, fullName: $0.citizen.fullName, idNumber: $0.citizen.idNumber, phone: $0.citizen.phone,
                        createdAt: siteTime.string($0.createdAt)
                    )
                },
                dossiers: records.dossiers.map { DossierView($0, siteTime: siteTime) }
            ))
        }
        managers.post("privacy/person/erase") { request, context in
            let idNumber = try await idNumber(request, context)
            let erased = try await store.erasePerson(idNumber: idNumber, actor: auditName(context), now: clock.now)
            context.logger.info("a person's data erased on request", metadata: ["bookings": "\(erased.bookings)", "dossiers": "\(erased.dossiers)"])
            return JSONResponse(ErasureView(bookings: erased.bookings, dossiers: erased.dossiers))
        }
        managers.get("privacy/access-log") { request, _ in
            let (from, to) = try siteTime.dateRange(request.uri.queryParameters, maximumDays: 92)
            let entries = try await store.personalDataAccess(
                from: from.start(in: siteTime.timeZone), to: to.adding(days: 1).start(in: siteTime.timeZone)
            )
            return JSONResponse(entries.map { AccessView(at: siteTime.string($0.at), actor: $0.actor, action: $0.action, subject: $0.subject) })
        }
    }

    private func idNumber(_ request: Request, _ context: AppRequestContext) async throws -> String {
        let person = try await request.decodeJSON(Person.self, context: context)
        let digits = person.idNumber.filter { !$0.isWhitespace }
        guard digits.count == 12, digits.allSatisfy(\.isASCIIDigit) else {
            throw APIError.invalid("idNumber", vi: "idNumber phải là số định danh 12 chữ số.", en: "idNumber must be the 12-digit personal ID number.")
        }
        return digits
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
