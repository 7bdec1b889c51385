import Foundation
import GRDB
import MotcuaCore

/// Who made a request, as far as authorization cares.
public struct Principal: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case token(id: Int64)
        case session(userId: Int64)
    }

    public let role: Role
    public let name: String
    public let source: Source
}

public enum AuthError: Error, Equatable {
    case usernameTaken
    case passwordTooShort(minimum: Int)
}

struct TokenRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "apiToken"
    var id: Int64?
    var name: String
    var role: Role
    var tokenHash: String
    var createdAt: Date
    var revokedAt: Date?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct UserRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "user"
    var id: Int64?
    var username: String
    var displayName: String
    var role: Role
    var passwordHash: String
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct SessionRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "session"
    var id: Int64?
    var userId: Int64
    var tokenHash: String
    var createdAt: Date
    var expiresAt: Date
}

extension Store {
    public static let minimumPasswordLength = 10

    /// Creates a bearer token for a device or program and returns it. Only its digest is
    /// stored: the returned value cannot be shown again.
    public func createToken(role: Role, name: String, at now: Date) async throws -> String {
        let token = Credentials.newSecret(prefix: "mct_")
        try await write { db in
            var row = TokenRow(name: name, role: role, tokenHash: Credentials.digest(token), createdAt: now)
            try row.insert(db)
        }
        return token
    }

    public func principal(bearerToken token: String) async throws -> Principal? {
        let digest = Credentials.digest(token)
        return try await read { db in
            guard let row = try TokenRow.filter(Column("tokenHash") == digest && Column("revokedAt") == nil).fetchOne(db),
                  let id = row.id else { return nil }
            return Principal(role: row.role, name: row.name, source: .token(id: id))
        }
    }

    public func createUser(username: String, displayName: String, role: Role, password: String, at now: Date) async throws {
        guard password.count >= Self.minimumPasswordLength else {
            throw AuthError.passwordTooShort(minimum: Self.minimumPasswordLength)
        }
        let hash = try Credentials.hashPassword(password)
        try await write { db in
            guard try UserRow.filter(Column("username") == username).fetchCount(db) == 0 else {
                throw AuthError.usernameTaken
            }
            var row = UserRow(
                username: username, displayName: VietnameseText.nfc(displayName), role: role, passwordHash: hash, createdAt: now
            )
            try row.insert(db)
        }
    }

    /// Checks a console login and opens a session. Returns the session id (for the cookie)
    /// and who logged in, or nil when the username or password is wrong.
    public func logIn(username: String, password: String, at now: Date, lifetime: TimeInterval) async throws -> (session: String, principal: Principal)? {
        let user = try await read { db in try UserRow.filter(Column("username") == username).fetchOne(db) }
        guard let user, let userId = user.id else {
            Credentials.verifyAgainstNothing(password)
            return nil
        }
        guard Credentials.verifyPassword(password, against: user.passwordHash) else { return nil }
        let session = Credentials.newSecret(prefix: "mcs_")
        try await write { db in
            var row = SessionRow(
                userId: userId, tokenHash: Credentials.digest(session), createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
            )
            try row.insert(db)
        }
        return (session, Principal(role: user.role, name: user.displayName, source: .session(userId: userId)))
    }

    public func principal(session: String, at now: Date) async throws -> Principal? {
        let digest = Credentials.digest(session)
        return try await read { db in
            guard let row = try SessionRow.filter(Column("tokenHash") == digest && Column("expiresAt") > now).fetchOne(db),
                  let user = try UserRow.fetchOne(db, key: row.userId), let userId = user.id else { return nil }
            return Principal(role: user.role, name: user.displayName, source: .session(userId: userId))
        }
    }

    public func logOut(session: String) async throws {
        let digest = Credentials.digest(session)
        _ = try await write { db in try SessionRow.filter(Column("tokenHash") == digest).deleteAll(db) }
    }
}
