import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

@Suite struct ErrorResponseTests {
    @Test func unknownRouteIsJSON404() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let response = try await client.json("/api/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try response.decoded(ErrorBody.self).error.code == "route_not_found")
            #expect(response.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
        }
    }

    @Test func bodyOverOneMebibyteIs413() async throws {
        let app = try await TestSite().app()
        let big = #"{"username":""# + String(repeating: "a", count: 1 << 20) + #"","password":"x"}"#

        try await app.test(.router) { client in
            let response = try await client.json("/api/v1/session", .post, body: big)
            #expect(response.status == .contentTooLarge)
            #expect(try response.decoded(ErrorBody.self).error.code == "body_too_large")
        }
    }

    @Test func malformedJSONIs400AndAMissingFieldIsNamed() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let malformed = try await client.json("/api/v1/session", .post, body: #"{"username": "quanly", "#)
            #expect(malformed.status == .badRequest)
            let error = try malformed.decoded(ErrorBody.self).error
            #expect(error.code == "bad_request")
            #expect(error.message.contains("JSON"))

            let missing = try await client.json("/api/v1/session", .post, body: #"{"username": "quanly"}"#)
            #expect(missing.status == .badRequest)
            #expect(try missing.decoded(ErrorBody.self).error.field == "password")

            let wrongType = try await client.json("/api/v1/session", .post, body: #"{"username": 7, "password": "x"}"#)
            #expect(try wrongType.decoded(ErrorBody.self).error.field == "username")
        }
    }

    @Test func nonJSONContentTypeIs415() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let response = try await client.json(
                "/api/v1/session", .post, body: "username=quanly", headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.decoded(ErrorBody.self).error.code == "unsupported_media_type")
        }
    }

    @Test func messageFollowsAcceptLanguageAndDefaultsToVietnamese() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let vietnamese = try await client.json("/api/v1/tokens", .post, body: "{}")
            let english = try await client.json("/api/v1/tokens", .post, body: "{}", headers: [.acceptLanguage: "en-US,en;q=0.9,vi;q=0.5"])
            let preferVietnamese = try await client.json("/api/v1/tokens", .post, body: "{}", headers: [.acceptLanguage: "en;q=0.4, vi"])

            #expect(try vietnamese.decoded(ErrorBody.self).error.message.hasPrefix("Cần đăng nhập"))
            #expect(vietnamese.headers[.contentLanguage] == "vi")
            #expect(try english.decoded(ErrorBody.self).error.message.hasPrefix("Authentication required"))
            #expect(english.headers[.contentLanguage] == "en")
            #expect(try preferVietnamese.decoded(ErrorBody.self).error.message.hasPrefix("Cần đăng nhập"))
        }
    }

    @Test func slotQueryValidationNamesTheField() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let noService = try await client.json("/api/v1/slots?service=Z&from=2027-03-01&to=2027-03-02")
            #expect(noService.status == .unprocessableContent)
            #expect(try noService.decoded(ErrorBody.self).error.field == "service")
            let badDate = try await client.json("/api/v1/slots?service=A&from=01/03/2027&to=2027-03-02")
            #expect(try badDate.decoded(ErrorBody.self).error.field == "from")
            let tooLong = try await client.json("/api/v1/slots?service=A&from=2027-03-01&to=2027-12-31")
            #expect(try tooLong.decoded(ErrorBody.self).error.field == "to")
        }
    }
}
