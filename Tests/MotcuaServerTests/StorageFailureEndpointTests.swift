import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaStore
import Testing
@testable import MotcuaServer

/// What a caller hears when the disk fails under a write (the store's side is in
/// MotcuaStoreTests/StorageFailureTests): a 503 that says so, never a 500.
@Suite struct StorageFailureEndpointTests {
    @Test func aFullOrFailingDiskIsA503ThatSaysNothingWasSaved() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.post("full") { _, _ -> Response in throw StorageFailure.full }
        router.post("readonly") { _, _ -> Response in throw StorageFailure.unavailable("SQLITE_READONLY") }
        let app = Application(router: router)

        try await app.test(.router) { client in
            let full = try await client.json("/full", .post)
            let readOnly = try await client.json("/readonly", .post, headers: [.acceptLanguage: "en"])

            #expect(full.status == .serviceUnavailable)
            #expect(full.headers[.retryAfter] == "30")
            #expect(try full.decoded(ErrorBody.self).error.code == "storage_full")
            #expect(try full.decoded(ErrorBody.self).error.message.contains("chưa lưu được gì"))
            #expect(readOnly.status == .serviceUnavailable)
            #expect(try readOnly.decoded(ErrorBody.self).error.code == "storage_unavailable")
            #expect(try readOnly.decoded(ErrorBody.self).error.message.contains("nothing was saved"))
        }
    }
}
