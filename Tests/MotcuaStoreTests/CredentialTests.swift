import Foundation
import GRDB
import Testing
@testable import MotcuaStore

@Suite struct CredentialTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func tokenResolvesToItsRoleAndOnlyItsDigestIsStored() async throws {
        let (store, _) = try temporaryStore()

        let token = try await store.createToken(role: .kiosk, name: "Kiosk sảnh A", at: now)

        let principal = try await store.principal(bearerToken: token)
        #expect(principal?.role == .kiosk)
        #expect(principal?.name == "Kiosk sảnh A")
        let stored = try await store.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM apiToken") }
        #expect(stored == [Credentials.digest(token)])
        #expect(!stored[0].contains(token))
        #expect(try await store.principal(bearerToken: token + "x") == nil)
    }

    @Test func revokedTokenNoLongerAuthenticates() async throws {
        let (store, _) = try temporaryStore()
        let token = try await store.createToken(role: .display, name: "TV sảnh", at: now)

        try await store.write { db in try db.execute(sql: "UPDATE apiToken SET revokedAt = ?", arguments: [now]) }

        #expect(try await store.principal(bearerToken: token) == nil)
    }

    @Test func loginOpensASessionThatExpiresAndEndsAtLogout() async throws {
        let (store, _) = try temporaryStore()
        try await store.createUser(username: "canbo", displayName: "Trần Văn B", role: .officer, password: "mat-khau-dai", at: now)

        let wrong = try await store.logIn(username: "canbo", password: "mat-khau-sai", at: now, lifetime: 3600)
        let unknown = try await store.logIn(username: "ai-do", password: "mat-khau-dai", at: now, lifetime: 3600)
        let login = try #require(try await store.logIn(username: "canbo", password: "mat-khau-dai", at: now, lifetime: 3600))

        #expect(wrong == nil)
        #expect(unknown == nil)
        #expect(login.principal.role == .officer)
        #expect(try await store.principal(session: login.session, at: now.addingTimeInterval(3599))?.name == "Trần Văn B")
        #expect(try await store.principal(session: login.session, at: now.addingTimeInterval(3600)) == nil)
        try await store.logOut(session: login.session)
        #expect(try await store.principal(session: login.session, at: now) == nil)
    }

    @Test func passwordsAreSaltedAndShortOnesRefused() async throws {
        let (store, _) = try temporaryStore()
        try await store.createUser(username: "a", displayName: "A", role: .manager, password: "cung-mat-khau", at: now)
        try await store.createUser(username: "b", displayName: "B", role: .manager, password: "cung-mat-khau", at: now)

        let hashes = try await store.read { db in try String.fetchAll(db, sql: "SELECT passwordHash FROM user") }
        #expect(Set(hashes).count == 2)
        #expect(hashes.allSatisfy { $0.hasPrefix("pbkdf2-sha256$210000$") && !$0.contains("cung-mat-khau") })
        await #expect(throws: AuthError.passwordTooShort(minimum: 10)) {
            try await store.createUser(username: "c", displayName: "C", role: .officer, password: "ngan", at: now)
        }
        await #expect(throws: AuthError.usernameTaken) {
            try await store.createUser(username: "a", displayName: "A2", role: .officer, password: "mat-khau-khac", at: now)
        }
    }
}
