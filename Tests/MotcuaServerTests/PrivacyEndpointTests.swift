import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

/// A person's data through the manager: what staff read is logged; an export gives it all,
/// an erasure takes it away; no log line holds the number.
@Suite struct PrivacyEndpointTests {
    struct Export: Decodable {
        struct Booking: Decodable { let idNumber: String }
        struct Dossier: Decodable {
            struct Applicant: Decodable { let idNumber: String; let phone: String }
            let applicant: Applicant
        }
        let bookings: [Booking]
        let dossiers: [Dossier]
    }

    struct Erased: Decodable, Equatable {
        let bookings: Int
        let dossiers: Int
    }

    struct Access: Decodable {
        let actor: String
        let action: String
        let subject: String
    }

    @Test func aReadIsLoggedAndThePersonIsExportedThenErased() async throws {
        let site = TestSite()
        let manager = try await site.token(.manager)
        let officer = try await site.token(.officer)
        let lines = LogCapture()
        let app = try await site.app { lines.handler(label: $0) }
        let person = #"{"idNumber": "001203012345"}"#

        try await app.test(.router) { client in
            let finished = try await DossierEndpointTests.prepareMaritalStatus(client)
            let read = try await client.json("/api/v1/dossiers/\(finished.dossier.code)", token: officer)
            let export = try await client.json("/api/v1/privacy/person/export", .post, token: manager, body: person)
            let fromOfficer = try await client.json("/api/v1/privacy/person/erase", .post, token: officer, body: person)
            let badNumber = try await client.json("/api/v1/privacy/person/erase", .post, token: manager, body: #"{"idNumber": "0012"}"#)
            let erase = try await client.json("/api/v1/privacy/person/erase", .post, token: manager, body: person)
            let after = try await client.json("/api/v1/privacy/person/export", .post, token: manager, body: person)
            let log = try await client.json("/api/v1/privacy/access-log?from=2027-03-01&to=2027-03-01", token: manager)

            #expect(read.status == .ok)
            let exported = try export.decoded(Export.self)
            #expect(exported.dossiers.map(\.applicant.idNumber) == ["001203012345"] && exported.dossiers[0].applicant.phone == "0912345678")
            #expect(fromOfficer.status == .forbidden, "only a manager exercises a person's rights")
            #expect(badNumber.status == .unprocessableContent)
            #expect(erase.status == .ok)
            #expect(try erase.decoded(Erased.self) == Erased(bookings: 0, dossiers: 1))
            #expect(try after.decoded(Export.self).dossiers.isEmpty)
            let entries = try log.decoded([Access].self)
            #expect(entries.map(\.action) == ["read", "export", "erase", "export"])
            #expect(entries[0].subject == "dossier:\(finished.dossier.code)" && entries[0].actor.hasPrefix("officer:"))
            #expect(!String(buffer: log.body).contains("001203012345"))
        }
        #expect(!lines.all.isEmpty)
        #expect(!lines.all.contains { $0.contains("001203012345") || $0.contains("0912345678") }, "no log line holds the number")
    }
}
