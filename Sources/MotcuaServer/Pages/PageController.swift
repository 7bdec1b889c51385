import Foundation
import Hummingbird
import MotcuaCore
import MotcuaPrint

/// The four pages people touch: the kiosk, the hall display, the counter console and the
/// manager console. Each is one server-rendered page in the chosen language that carries
/// what its script needs (texts, device profile, services) so the first screen shows with
/// no further request; everything after goes through the JSON API as any client would.
struct PageController {
    let resources: PageResources
    let devices: DeviceProfilesCache
    let catalog: CatalogCache
    let siteName: String
    let timeZone: TimeZone
    let clock: WallClock
    let priorities: Set<PriorityCategory>
    let bookingRules: BookingRules
    /// standalone, centre or site: a centre's manager console also shows its sites.
    let nodeRole: String

    /// Same-origin everything: a kiosk on the LAN loads nothing from elsewhere, and no
    /// injected markup can run script or be framed.
    static let securityPolicy =
        "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/kiosk"])
        }
        router.get("kiosk") { request, _ in
            let kiosk = try kioskProfile(request)
            let languages = kiosk?.languages.compactMap { PageResources.Language(rawValue: $0.rawValue) } ?? PageResources.Language.allCases
            let language = chosenLanguage(request, default: languages.first ?? .vi)
            let services = catalog.current.services.map { service in
                [
                    "id": service.id, "name": language == .vi ? service.name : service.nameEn, "prefix": service.prefix,
                    "kind": service.kind.rawValue,
                ]
            }
            let offered = PriorityCategory.allCases.filter(priorities.contains).map { category in
                [
                    "id": category.rawValue, "label": language == .vi ? category.vi : category.en,
                    "explanation": language == .vi ? category.explanationVi : category.explanationEn,
                ]
            }
            let settings: [String: Any] = [
                "kiosk": kiosk?.id ?? "", "idleTimeoutSeconds": kiosk?.idleTimeoutSeconds ?? 90, "printer": kiosk != nil,
                "services": services, "priorities": offered,
                // What the booking rules refuse is not offered: too soon, too far ahead.
                "bookingLeadMinutes": bookingRules.leadTimeMinutes, "bookingDays": min(bookingRules.horizonDays, 14),
                "cancellationCutoffMinutes": bookingRules.cancellationCutoffMinutes,
            ]
            return try render("kiosk", request: request, language: language, languages: languages, settings: settings, values: [
                "services": services, "submissionServices": services.filter { $0["kind"] == "submission" },
            ])
        }
        router.get("display") { request, _ in
            let hall = request.uri.queryParameters["hall"].map(String.init)
            var display: DisplayProfile?
            if let hall {
                let displays = devices.current.displays
                guard let found = displays.first(where: { $0.hall == hall }) else {
                    let known = Set(displays.map(\.hall)).sorted().joined(separator: ", ")
                    throw APIError.invalid("hall", vi: "Không có sảnh này; các sảnh: \(known).", en: "No such hall; the halls are: \(known).")
                }
                display = found
            }
            let language = chosenLanguage(request, default: .vi)
            let settings: [String: Any] = [
                "hall": hall ?? "", "services": display?.services ?? catalog.current.services.map(\.id), "audio": display?.audio ?? true,
            ]
            return try render("display", request: request, language: language, languages: PageResources.Language.allCases, settings: settings)
        }
        for page in ["counter", "manager"] {
            router.get(RouterPath(page)) { request, context in
                let language = chosenLanguage(request, default: .vi)
                // Who the session cookie says is signed in, so the console opens without a
                // round trip (and without a 401 when nobody is).
                let identity: Any = context.principal.map { ["role": $0.role.rawValue, "name": $0.name] } ?? NSNull()
                return try render(
                    page, request: request, language: language, languages: PageResources.Language.allCases,
                    settings: ["identity": identity, "node": nodeRole]
                )
            }
        }
        router.get("assets/{file}") { request, context in
            guard let name = context.parameters.get("file"), let asset = resources.assets[name] else { throw HTTPError(.notFound) }
            if request.headers[.ifNoneMatch] == asset.etag {
                return Response(status: .notModified, headers: [.eTag: asset.etag])
            }
            return Response(
                status: .ok, headers: [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes))
            )
        }
    }

    /// `?kiosk=` names the kiosk from devices/kiosks.yaml (its idle time, languages,
    /// printer); without it the page runs as a browser kiosk with no printer.
    private func kioskProfile(_ request: Request) throws -> KioskProfile? {
        guard let id = request.uri.queryParameters["kiosk"].map(String.init) else { return nil }
        let devices = devices.current
        guard let kiosk = devices.kiosk(id: id) else {
            let known = devices.kiosks.map(\.id).joined(separator: ", ")
            throw APIError.invalid("kiosk", vi: "Không có ki-ốt này; các ki-ốt: \(known).", en: "No such kiosk; the kiosks are: \(known).")
        }
        return kiosk
    }

    private func chosenLanguage(_ request: Request, default fallback: PageResources.Language) -> PageResources.Language {
        request.uri.queryParameters["lang"].flatMap { PageResources.Language(rawValue: String($0)) } ?? fallback
    }

    private static func queryValue(_ value: Substring) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The page in `language`, with a link to the same page in each other offered language.
    private func render(
        _ page: String, request: Request, language: PageResources.Language, languages: [PageResources.Language],
        settings: [String: Any], values: [String: Any] = [:]
    ) throws -> Response {
        // Only the page's own texts (its section and those named after it) and the common ones.
        let texts = (resources.strings[language] ?? [:]).filter { $0.key == "common" || $0.key == page || $0.key.hasPrefix(page + "_") }
        var query = request.uri.queryParameters.filter { $0.key != "lang" }.map { "\($0.key)=\(Self.queryValue($0.value))" }.sorted()
        let switches = languages.filter { $0 != language }.map { other -> [String: String] in
            query.append("lang=\(other.rawValue)")
            defer { query.removeLast() }
            return ["href": "/\(page)?" + query.joined(separator: "&"), "name": texts["common"]?["language_\(other.rawValue)"] ?? other.rawValue]
        }
        let boot: [String: Any] = [
            "lang": language.rawValue, "siteName": siteName, "timeZone": timeZone.identifier, "t": texts, "settings": settings,
            // The site's time: a kiosk whose own clock is off still shows today's slots.
            "now": ISO8601DateFormatter().string(from: clock.now),
        ]
        let json = try JSONSerialization.data(withJSONObject: boot, options: [.sortedKeys, .withoutEscapingSlashes])
        var context: [String: Any] = [
            "lang": language.rawValue, "t": texts, "siteName": siteName, "languageSwitches": switches, "page": page,
            // Inside <script type="application/json">: no "<" may close the element early.
            "boot": String(decoding: json, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c"),
        ]
        context.merge(values) { _, new in new }
        guard let html = resources.templates.render(context, withTemplate: page) else {
            throw PageResourceError(file: "layouts/pages/\(page).mustache", problem: "missing")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: Self.securityPolicy,
                .contentLanguage: language.rawValue,
            ],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
