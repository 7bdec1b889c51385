import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Yams
@testable import MotcuaServer

@Suite struct SystemEndpointTests {
    @Test func healthzAnswersOk() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let response = try await client.json("/healthz")
            #expect(response.status == .ok)
            #expect(response.text == #"{"status":"ok"}"#)
        }
    }

    @Test func metricsCountRequestsPerRouteAndTimeTheDatabase() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            _ = try await client.json("/api/v1/services")
            _ = try await client.json("/api/v1/services")
            _ = try await client.json("/api/v1/slots?service=A&from=2027-03-01&to=2027-03-01")
            let metrics = try await client.json("/metrics").text

            #expect(metrics.contains(#"motcua_http_requests_total{route="/api/v1/services",method="GET",status="200"} 2"#))
            #expect(metrics.contains(#"motcua_http_request_duration_bucket{route="/api/v1/slots",method="GET""#))
            #expect(metrics.contains(#"motcua_db_duration_count{op="read"}"#))
            #expect(!metrics.contains("2027-03-01"), "raw query strings must not become labels")
        }
    }

    @Test func servesTheOpenAPIDocument() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let response = try await client.json("/openapi.yaml")
            #expect(response.status == .ok)
            let document = try #require(try Yams.load(yaml: response.text) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
        }
    }

    /// Every route the router serves must be described in openapi.yaml, with its method, so
    /// that the published contract never lags the code.
    /// Each role mounts its own routes (the centre's sync ingest, a site's sync status), so
    /// the routes of all three are compared.
    @Test func everyRegisteredRouteIsInTheSpec() async throws {
        var registered = Set<String>()
        for node in MotcuaConfiguration.NodeRole.allCases {
            registered.formUnion(try await TestSite.served(as: node).routes.map(\.key))
        }
        let spec = try String(contentsOf: TestSite.repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let paths = try #require((try Yams.load(yaml: spec) as? [String: Any])?["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })

        #expect(registered.count >= 14)
        #expect(registered.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered).sorted())")
    }
}
