import Hummingbird
import MotcuaCore
import MotcuaStore

/// Managers issue bearer tokens for kiosks, displays and site nodes from the console, the
/// same thing `motcua token create` does on the server's own machine.
struct TokenController {
    let store: Store
    let clock: WallClock

    struct NewToken: Decodable {
        let role: String
        let name: String
    }

    struct IssuedToken: Encodable, Sendable {
        let token: String
        let role: Role
        let name: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("tokens") { request, context in
            let body = try await request.decodeJSON(NewToken.self, context: context)
            guard let role = Role(rawValue: body.role) else {
                let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.invalid("role", vi: "role phải là một trong: \(roles).", en: "role must be one of: \(roles).")
            }
            let name = VietnameseText.nfc(body.name.trimmingCharacters(in: .whitespacesAndNewlines))
            guard (1...100).contains(name.count) else {
                throw APIError.invalid("name", vi: "name phải có từ 1 đến 100 ký tự.", en: "name must be 1 to 100 characters.")
            }
            let token = try await store.createToken(role: role, name: name, at: clock.now)
            return JSONResponse(IssuedToken(token: token, role: role, name: name), status: .created)
        }
    }
}
