import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MotcuaStore
import MotcuaSync
import Synchronization
import Testing
@testable import MotcuaServer

/// Received dossiers and the counter's decisions reach a stub of the national portal over
/// real HTTP, in the portal's field names, once each even when the portal stumbles.
@Suite struct PortalExportTests {
    /// What the stub portal was sent: path, idempotency key, body.
    final class Received: Sendable {
        let posts = Mutex<[(path: String, key: String, body: Data)]>([])
        /// Requests still to answer with an error: `before` records nothing, `after`
        /// records and then fails (the portal took it, the answer was lost).
        let failures = Mutex<[String]>([])
    }

    static func stub(_ received: Received) -> some ApplicationProtocol {
        let router = Router()
        router.post("portal/{kind}") { request, context -> HTTPResponse.Status in
            let failure = received.failures.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if failure == "before" { return .serviceUnavailable }
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = Data(buffer: body)
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            received.posts.withLock { $0.append(("/" + (context.parameters.get("kind") ?? ""), key, json)) }
            return failure == "after" ? .internalServerError : .ok
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func aReceivedAndARefusedDossierReachThePortalOnceEachThroughFailures() async throws {
        let received = Received()
        received.failures.withLock { $0 = ["before", "after"] }
        let site = TestSite()
        let officer = try await site.token(.officer)
        let app = try await site.app()

        try await Self.stub(received).test(.live) { portal in
            let port = try #require(portal.port)
            try await app.test(.router) { client in
                let first = try await DossierEndpointTests.prepareMaritalStatus(client)
                let second = try await DossierEndpointTests.prepareMaritalStatus(client, card: DossierEndpointTests.womanCard)
                _ = try await client.json("/api/v1/dossiers/\(first.dossier.code)/receive", .post, token: officer)
                _ = try await client.json(
                    "/api/v1/dossiers/\(second.dossier.code)/refuse", .post, token: officer, body: #"{"reason": "Không thuộc thẩm quyền."}"#
                )
                let exporter = PortalExporter(
                    store: try site.store(), endpoint: "http://127.0.0.1:\(port)/portal", token: nil, timeZone: site.config.timeZone,
                    logger: Logger(label: "test")
                )

                // The first send meets a 503, the second a lost answer; each time the cursor stays.
                await #expect(throws: CentreError.self) { try await exporter.exportOnce() }
                await #expect(throws: CentreError.self) { try await exporter.exportOnce() }
                try await exporter.exportOnce()
                let nothingLeft = try await exporter.exportOnce()

                let posts = received.posts.withLock { $0 }
                #expect(nothingLeft == 0)
                #expect(posts.map(\.path) == ["/dossiers", "/dossiers", "/progress"], "the lost answer's request came again")
                #expect(posts[0].key == posts[1].key && posts[1].key != posts[2].key, "a repeat carries the same idempotency key")
                let dossier = try #require(try JSONSerialization.jsonObject(with: posts[1].body) as? [String: Any])
                #expect(dossier["MaHoSo"] as? String == first.dossier.code)
                #expect(dossier["MaTTHC"] as? String == "1.004873" && dossier["TenLinhVuc"] as? String == "Hộ tịch")
                #expect(dossier["ChuHoSo"] as? String == "Nguyễn Văn An" && dossier["SoDienThoai"] as? String == "0912345678")
                #expect(dossier["NgayTiepNhan"] as? String == "20270301090000")
                #expect(dossier["NgayHenTra"] as? String == "20270304170000", "three working days from Monday")
                #expect(dossier["TrangThaiHoSo"] as? String == "2" && dossier["LoaiDoiTuong"] as? Int == 1)
                #expect((dossier["TaiLieuNop"] as? [Any])?.count == 3)
                let progress = try #require(try JSONSerialization.jsonObject(with: posts[2].body) as? [String: Any])
                #expect(progress["MaHoSo"] as? String == second.dossier.code && progress["TrangThai"] as? String == "3")
                #expect(progress["NoiDungXuLy"] as? String == "Không thuộc thẩm quyền." && progress["NguoiXuLy"] as? String == "test officer")
            }
        }
    }
}
