import Foundation
import Hummingbird
import MotcuaCore

/// Reads a chip ID card's QR for the kiosk, so the applicant's fields fill themselves. The
/// card's data is answered to the kiosk and kept nowhere, and never logged.
struct IdentityController {
    let clock: WallClock
    let siteTime: SiteTime

    struct Scan: Decodable {
        let qr: String
    }

    struct ApplicantView: Encodable, Sendable {
        let idNumber: String
        let oldIdNumber: String?
        let fullName: String
        let birthDate: LocalDate
        let gender: PersonalIdNumber.Gender
        let address: String
        let issueDate: LocalDate
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("identity/parse") { request, context in
            let scan = try await request.decodeJSON(Scan.self, context: context)
            switch IdentityCard.read(qr: scan.qr, today: LocalDate(clock.now, in: siteTime.timeZone)) {
            case .success(let card):
                return JSONResponse(ApplicantView(
                    idNumber: card.idNumber, oldIdNumber: card.oldIdNumber, fullName: card.fullName, birthDate: card.birthDate,
                    gender: card.gender, address: card.address, issueDate: card.issueDate
                ))
            case .failure(let errors):
                throw APIError(errors)
            }
        }
    }
}
