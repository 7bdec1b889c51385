import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import Testing
@testable import MotcuaServer

/// Every route of every role's router, called with no credentials and with a token of each
/// role: what gets through must be what `RouteAccess.table` says, and a route missing from
/// the table fails here, so nobody adds a route without deciding who may call it.
@Suite struct RouteAccessTests {
    /// Streams that never end (server-sent events) are checked for their refusals only.
    static let streams: Set<String> = ["GET /api/v1/queue/events"]

    @Test(arguments: MotcuaConfiguration.NodeRole.allCases)
    func everyRouteAdmitsExactlyTheRolesTheTableGives(node: MotcuaConfiguration.NodeRole) async throws {
        let (site, routes) = try await TestSite.served(as: node)
        let app = try await site.app()
        var issued: [Role: String] = [:]
        for role in Role.allCases { issued[role] = try await site.token(role) }
        let tokens = issued

        try await app.test(.router) { client in
            for route in routes {
                let key = route.key
                guard let access = RouteAccess.table[key] else {
                    Issue.record("\(key) is not in RouteAccess.table: decide who may call it")
                    continue
                }
                let uri = RouteAccess.example(route.path)
                for role in [nil] + Role.allCases.map(Optional.some) {
                    let admitted = access.admits(role)
                    if admitted, Self.streams.contains(key) { continue }
                    let response = try await client.json(
                        uri, route.method, token: role.flatMap { tokens[$0] }, body: route.method == .get ? nil : "{}"
                    )
                    let refused = response.status == .unauthorized || response.status == .forbidden
                    #expect(refused == !admitted, "\(key) as \(role?.rawValue ?? "nobody"): \(response.status)")
                    if !admitted { #expect(response.status == (role == nil ? .unauthorized : .forbidden), "\(key)") }
                }
            }
        }
    }

    @Test func theTableHasNoRouteThatNoNodeServes() async throws {
        var served = Set<String>()
        for node in MotcuaConfiguration.NodeRole.allCases {
            served.formUnion(try await TestSite.served(as: node).routes.map(\.key))
        }
        #expect(Set(RouteAccess.table.keys).subtracting(served).isEmpty, "\(Set(RouteAccess.table.keys).subtracting(served).sorted())")
    }
}
