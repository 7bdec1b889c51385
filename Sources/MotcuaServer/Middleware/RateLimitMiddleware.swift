import Foundation
import Hummingbird
import MotcuaCore
import NIOConcurrencyHelpers

/// Rate limits on the writes anyone may make — taking tickets, booking, checking in,
/// parsing ID cards, opening dossier drafts — per kiosk device (its bearer token) or else
/// per client address: a phone on the hall's Wi-Fi cannot empty a day's numbers or slots.
/// 429 with Retry-After; the per-person booking caps hold besides.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let limitedRoutes: Set<String> = [
        "/api/v1/tickets", "/api/v1/bookings", "/api/v1/checkins", "/api/v1/identity/parse", "/api/v1/dossiers/drafts",
    ]

    let buckets: NIOLockedValueBox<TokenBuckets>
    let exempt: Set<String>
    let clock: WallClock

    init(burst: Int, perMinute: Int, exempt: Set<String>, clock: WallClock) {
        buckets = NIOLockedValueBox(TokenBuckets(burst: burst, perMinute: perMinute))
        self.exempt = exempt
        self.clock = clock
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, Self.limitedRoutes.contains(request.uri.path), let key = caller(context) else {
            return try await next(request, context)
        }
        let now = clock.now
        if let wait = buckets.withLockedValue({ $0.take(key, now: now) }) {
            throw APIError.tooManyRequests(retryAfter: wait)
        }
        return try await next(request, context)
    }

    /// The device when it shows its token, else the address; nil for an exempt address, for
    /// a request with no peer (made in-process, as the router tests do), and for a site
    /// booking on its kiosks' behalf at the centre (the site limited each of them already).
    private func caller(_ context: Context) -> String? {
        if let principal = context.principal {
            return principal.role == .site ? nil : "\(principal.role.rawValue):\(principal.name)"
        }
        guard let address = context.remoteAddress?.ipAddress, !exempt.contains(address) else { return nil }
        return "address:\(address)"
    }
}

extension APIError {
    static func tooManyRequests(retryAfter: TimeInterval) -> APIError {
        let seconds = max(1, Int(retryAfter.rounded(.up)))
        var error = APIError(
            .tooManyRequests, code: "too_many_requests",
            vi: "Quá nhiều yêu cầu. Xin thử lại sau \(seconds) giây.", en: "Too many requests. Please try again in \(seconds) s."
        )
        error.headers[.retryAfter] = String(seconds)
        return error
    }
}
