import MotcuaCore

/// Who may call each route, decided once per route and checked against the running router
/// by `RouteAccessTests`: a new route fails the tests until it has an entry here. Writes that
/// are not a citizen's own (kiosk and app) need a role.
enum RouteAccess: Equatable {
    /// Citizens at a kiosk or at home, displays, health checks: no credentials.
    case anyone
    /// Any signed-in caller, whatever the role.
    case signedIn
    case roles(Set<Role>)

    func admits(_ role: Role?) -> Bool {
        switch self {
        case .anyone: true
        case .signedIn: role != nil
        case .roles(let roles): role.map(roles.contains) ?? false
        }
    }

    static let managers = RouteAccess.roles([.manager])
    static let staff = RouteAccess.roles([.officer, .manager])
    static let sites = RouteAccess.roles([.site])

    static let table: [String: RouteAccess] = [
        "GET /healthz": .anyone,
        "GET /metrics": .anyone,
        "GET /openapi.yaml": .anyone,
        // The pages: what they show comes from the API, which checks roles itself.
        "GET /": .anyone,
        "GET /kiosk": .anyone,
        "GET /display": .anyone,
        "GET /counter": .anyone,
        "GET /manager": .anyone,
        "GET /assets/{file}": .anyone,
        // What a site offers.
        "GET /api/v1/services": .anyone,
        "GET /api/v1/procedures": .anyone,
        "GET /api/v1/procedures/{code}": .anyone,
        "GET /api/v1/counters": .anyone,
        "GET /api/v1/slots": .anyone,
        "GET /api/v1/calendar/holidays": .anyone,
        "GET /api/v1/calendar/due-date": .anyone,
        "GET /api/v1/calendar/notices/{year}": .anyone,
        // A citizen's own bookings, by their unguessable code.
        "POST /api/v1/bookings": .anyone,
        "GET /api/v1/bookings/{code}": .anyone,
        "GET /api/v1/bookings/{code}/qr.svg": .anyone,
        "GET /api/v1/bookings/{code}/receipt.pdf": .anyone,
        "POST /api/v1/bookings/{code}/print": .anyone,
        "GET /api/v1/bookings/{code}/calendar.ics": .anyone,
        "POST /api/v1/bookings/{code}/cancel": .anyone,
        "POST /api/v1/bookings/{code}/reschedule": .anyone,
        // The kiosk's queue and the hall's displays.
        "POST /api/v1/tickets": .anyone,
        "GET /api/v1/tickets/{id}": .anyone,
        "GET /api/v1/tickets/{id}/qr.svg": .anyone,
        "GET /api/v1/tickets/{id}/receipt.pdf": .anyone,
        "POST /api/v1/tickets/{id}/print": .anyone,
        "POST /api/v1/tickets/scan": .anyone,
        "POST /api/v1/tickets/{id}/rating": .anyone,
        "POST /api/v1/checkins": .anyone,
        "GET /api/v1/queue/status": .anyone,
        "GET /api/v1/queue/events": .anyone,
        "GET /api/v1/announcements/{file}": .anyone,
        "POST /api/v1/identity/parse": .anyone,
        // Dossier preparation at the kiosk, by draft or dossier code.
        "POST /api/v1/dossiers/drafts": .anyone,
        "GET /api/v1/dossiers/drafts/{code}": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/resume": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/procedure": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/identity-card": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/applicant": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/answers": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/documents": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/result-delivery": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/forward": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/back": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/finish": .anyone,
        "GET /api/v1/dossiers/drafts/{code}/slip.pdf": .anyone,
        "POST /api/v1/dossiers/drafts/{code}/print": .anyone,
        "GET /api/v1/dossiers/{code}/status": .anyone,
        "GET /api/v1/dossiers/{code}/slip.pdf": .anyone,
        "POST /api/v1/dossiers/{code}/print": .anyone,
        // Console sign-in.
        "POST /api/v1/session": .anyone,
        "GET /api/v1/session": .signedIn,
        "DELETE /api/v1/session": .anyone,
        // Officers at their counters.
        "POST /api/v1/counters/{id}/open": .staff,
        "POST /api/v1/counters/{id}/close": .staff,
        "POST /api/v1/counters/{id}/call-next": .staff,
        "POST /api/v1/counters/{id}/pick": .staff,
        "GET /api/v1/queue/waiting": .staff,
        "POST /api/v1/tickets/{id}/recall": .staff,
        "POST /api/v1/tickets/{id}/no-show": .staff,
        "POST /api/v1/tickets/{id}/done": .staff,
        "POST /api/v1/tickets/{id}/transfer": .staff,
        "GET /api/v1/tickets/{id}/dossier": .staff,
        "GET /api/v1/dossiers/{code}": .staff,
        "GET /api/v1/dossiers/{code}/form.pdf": .staff,
        "POST /api/v1/dossiers/{code}/receive": .staff,
        "POST /api/v1/dossiers/{code}/supplement": .staff,
        "POST /api/v1/dossiers/{code}/refuse": .staff,
        // Managers.
        "POST /api/v1/tokens": .managers,
        "PUT /api/v1/slots/{id}/capacity": .managers,
        "PUT /api/v1/services/{id}/days/{date}/capacity": .managers,
        "POST /api/v1/services/{id}/closures": .managers,
        "PUT /api/v1/services/{id}/template": .managers,
        "GET /api/v1/displaced-bookings": .managers,
        "POST /api/v1/privacy/person/export": .managers,
        "POST /api/v1/privacy/person/erase": .managers,
        "GET /api/v1/privacy/access-log": .managers,
        "PUT /api/v1/calendar/notices/{year}": .managers,
        "GET /api/v1/queue/statistics": .managers,
        "GET /api/v1/dossiers/statistics": .managers,
        "GET /api/v1/sites": .managers,
        "GET /api/v1/sites/report": .managers,
        "GET /api/v1/sync/status": .managers,
        // Sites talking to their centre.
        "POST /api/v1/sync/events": .sites,
        "GET /api/v1/sync/config": .sites,
        "POST /api/v1/sync/config/ack": .sites,
    ]

    /// A router path in the table's form: `:id` becomes `{id}`.
    static func template(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }

    /// A path that reaches the route: each parameter filled with a value of the right shape.
    static func example(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            switch part {
            case ":id": "1"
            case ":year": "2027"
            case ":date": "2027-03-01"
            case ":code": "K7MQ3XHP"
            case ":file": "none.js"
            default: String(part)
            }
        }.joined(separator: "/")
    }
}
