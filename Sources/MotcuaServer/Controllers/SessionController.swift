import Foundation
import Hummingbird
import MotcuaCore
import MotcuaStore
import NIOConcurrencyHelpers

/// Console login for officers and managers: a session cookie that scripts cannot read
/// (HttpOnly) and other sites cannot send (SameSite=Strict).
struct SessionController {
    let store: Store
    let clock: WallClock
    let lifetime: TimeInterval
    /// Wrong passwords per username, shared by every request: brute force meets a lock.
    let throttle: NIOLockedValueBox<LoginThrottle>

    struct Credentials: Decodable {
        let username: String
        let password: String
    }

    struct Identity: Encodable, Sendable {
        let role: Role
        let name: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("session") { request, context in
            let credentials = try await request.decodeJSON(Credentials.self, context: context)
            let now = clock.now
            if let wait = throttle.withLockedValue({ $0.lockedFor(credentials.username, now: now) }) {
                throw APIError.tooManyRequests(retryAfter: wait)
            }
            guard let (session, principal) = try await store.logIn(
                username: credentials.username, password: credentials.password, at: now, lifetime: lifetime
            ) else {
                throttle.withLockedValue { $0.failed(credentials.username, now: now) }
                throw APIError(
                    .unauthorized, code: "invalid_credentials",
                    vi: "Tên đăng nhập hoặc mật khẩu không đúng.", en: "Wrong username or password."
                )
            }
            throttle.withLockedValue { $0.succeeded(credentials.username) }
            var response = try JSONResponse(Identity(role: principal.role, name: principal.name)).response(from: request, context: context)
            response.setCookie(Self.cookie(session, maxAge: Int(lifetime)))
            return response
        }
        group.get("session") { _, context in
            guard let principal = context.principal else { throw APIError.unauthenticated }
            return JSONResponse(Identity(role: principal.role, name: principal.name))
        }
        group.delete("session") { request, _ in
            if let session = request.cookies[AuthenticationMiddleware.sessionCookie]?.value {
                try await store.logOut(session: session)
            }
            var response = Response(status: .noContent)
            response.setCookie(Self.cookie("", maxAge: 0))
            return response
        }
    }

    private static func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }
}
