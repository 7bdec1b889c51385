import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

/// The pages as HTTP sees them; what they do in a browser is Tests/browser's.
@Suite struct PageEndpointTests {
    /// The JSON the server rendered into the page for its script.
    private func boot(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: #"<script id="boot" type="application/json">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
    }

    @Test func theKioskIsVietnameseFirstWithItsProfileAndTheSiteClock() async throws {
        let site = TestSite()
        let app = try await site.app()

        try await app.test(.router) { client in
            let page = try await client.json("/kiosk?kiosk=kiosk-1")
            let english = try await client.json("/kiosk?kiosk=kiosk-1&lang=en")

            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.text.contains(#"<html lang="vi">"#))
            #expect(page.text.contains("Lấy số thứ tự"))
            #expect(page.text.contains(#"href="/kiosk?kiosk=kiosk-1&amp;lang=en""#))
            let settings = try #require(try boot(page.text)["settings"] as? [String: Any])
            #expect(settings["kiosk"] as? String == "kiosk-1")
            #expect(settings["idleTimeoutSeconds"] as? Int == 90)
            #expect((settings["services"] as? [[String: Any]])?.map { $0["id"] as? String } == ["A", "B", "C", "K", "N"])
            #expect(try boot(page.text)["now"] as? String == ISO8601DateFormatter().string(from: site.clock.now))
            #expect(english.text.contains(#"<html lang="en">"#))
            #expect(english.text.contains("Take a number"))
            #expect(english.text.contains("Civil status and certification"))
        }
    }

    @Test func aPageCarriesOnlyItsOwnTexts() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let texts = try #require(try boot(try await client.json("/display?hall=tang-1").text)["t"] as? [String: Any])

            #expect(Set(texts.keys) == ["common", "display"])
        }
    }

    @Test func anUnknownKioskOrHallIsRefusedNamingIt() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let kiosk = try await client.json("/kiosk?kiosk=nope")
            let hall = try await client.json("/display?hall=nope")

            #expect(kiosk.status == .unprocessableContent)
            #expect(try kiosk.decoded(ErrorBody.self).error.field == "kiosk")
            #expect(try kiosk.decoded(ErrorBody.self).error.message.contains("kiosk-1"))
            #expect(hall.status == .unprocessableContent)
            #expect(try hall.decoded(ErrorBody.self).error.field == "hall")
        }
    }

    @Test func assetsAreRevalidatedByETag() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let first = try await client.json("/assets/kiosk.js")
            let etag = try #require(first.headers[.eTag])
            let again = try await client.json("/assets/kiosk.js", headers: [.ifNoneMatch: etag])
            let missing = try await client.json("/assets/../openapi.yaml")

            #expect(first.status == .ok)
            #expect(first.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(first.text.contains("const Kiosk"))
            #expect(again.status == .notModified)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aTextMissingALanguageStopsTheServerNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-strings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "greeting: {vi: \"Xin chào\", en: \"Hello\"}\nfarewell: {vi: \"Tạm biệt\"}\n"
            .write(to: folder.appendingPathComponent("kiosk.yaml"), atomically: true, encoding: .utf8)

        #expect {
            try PageResources.strings(directory: folder.path)
        } throws: { error in
            "\(error)".contains("farewell has no en text")
        }
    }

    @Test func theShippedTextsLoad() throws {
        let strings = try PageResources.strings(directory: TestSite.repositoryRoot.appendingPathComponent("layouts/pages/strings").path)

        #expect(strings[.vi]?["kiosk"]?["take_number"] == "Lấy số thứ tự")
        #expect(try #require(strings[.vi]?["common"]?["offline"]) != strings[.en]?["common"]?["offline"])
    }

    @Test func theRootSendsACitizenToTheKiosk() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let response = try await client.json("/")

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/kiosk")
        }
    }
}
