import Foundation
import HummingbirdTesting
import Logging
import Testing
@testable import MotcuaServer

@Suite struct IdentityEndpointTests {
    struct Applicant: Decodable {
        let idNumber: String
        let oldIdNumber: String?
        let fullName: String
        let birthDate: String
        let gender: String
        let address: String
        let issueDate: String
    }

    @Test func aScannedCardFillsTheApplicant() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let response = try await client.json("/api/v1/identity/parse", .post, body: #"""
                {"qr": "079185012345|023456789|Trần Thị Bích Ngọc|02091985|Nữ|123/4 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|10072022\n"}
                """#)

            #expect(response.status == .ok)
            let applicant = try response.decoded(Applicant.self)
            #expect(applicant.idNumber == "079185012345" && applicant.oldIdNumber == "023456789")
            #expect(applicant.fullName == "Trần Thị Bích Ngọc" && applicant.gender == "female")
            #expect(applicant.birthDate == "1985-09-02" && applicant.issueDate == "2022-07-10")
            #expect(applicant.address == "123/4 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh")
        }
    }

    @Test(arguments: [
        ("079185012345|023456789|Trần Thị Bích Ngọc", "qr"),
        ("079185012345|023456789|Trần Thị Bích Ngọc|31021985|Nữ|123/4 Lê Lợi|10072022", "qr.birthDate"),
        ("", "qr"),
    ])
    func aBadCardIsRefusedNamingWhatIsWrong(payload: String, field: String) async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let body = String(decoding: try JSONEncoder().encode(["qr": payload]), as: UTF8.self)
            let response = try await client.json("/api/v1/identity/parse", .post, body: body)

            #expect(response.status == .unprocessableContent)
            #expect(try response.decoded(ErrorBody.self).error.field == field)
        }
    }
}
