import Hummingbird
import MotcuaCore
import MotcuaStore

/// Resolves who is calling: a bearer token (devices, programs) or a console session cookie
/// (officers, managers). It does not refuse anonymous callers; `RequireRole` does that on
/// the routes that need a role.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let sessionCookie = "motcua_session"
    let store: Store
    let clock: WallClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "),
                  let principal = try await store.principal(bearerToken: String(authorization.dropFirst("Bearer ".count)))
            else {
                throw APIError(
                    .unauthorized, code: "invalid_token",
                    vi: "Mã truy cập không hợp lệ hoặc đã bị thu hồi.", en: "The bearer token is invalid or revoked."
                )
            }
            context.principal = principal
        } else if let session = request.cookies[Self.sessionCookie]?.value {
            context.principal = try await store.principal(session: session, at: clock.now)
        }
        return try await next(request, context)
    }
}

/// Lets through only callers holding one of `roles`: 401 for anonymous, 403 for others.
struct RequireRole: RouterMiddleware {
    typealias Context = AppRequestContext
    let roles: [Role]

    init(_ roles: Role...) {
        self.roles = roles
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        guard roles.contains(principal.role) else { throw APIError.forbidden(allowed: roles.map(\.rawValue)) }
        return try await next(request, context)
    }
}
