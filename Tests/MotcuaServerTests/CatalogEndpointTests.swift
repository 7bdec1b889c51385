import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MotcuaServer

@Suite struct CatalogEndpointTests {
    struct ServiceItem: Decodable { let id: String; let kind: String; let prefix: String }
    struct ProcedureItem: Decodable { let code: String; let name: String }
    struct SlotItem: Decodable { let id: Int; let start: String; let end: String; let capacity: Int; let available: Int }

    @Test func listsTheDemoServicesInOrder() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let services = try await client.json("/api/v1/services").decoded([ServiceItem].self)
            #expect(services.map(\.prefix) == ["A", "B", "C", "K", "N"])
            #expect(services.map(\.kind) == ["submission", "submission", "submission", "clinic", "clinic"])
        }
    }

    @Test func searchesProceduresWithoutDiacritics() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let found = try await client.json("/api/v1/procedures?q=dang%20ky%20khai%20sinh").decoded([ProcedureItem].self)
            #expect(found.first?.code == "1.001193")
            let one = try await client.json("/api/v1/procedures/1.001193").decoded(ProcedureItem.self)
            #expect(one.name == "Thủ tục đăng ký khai sinh")
            #expect(try await client.json("/api/v1/procedures/9.999999").status == .notFound)
        }
    }

    @Test func slotsCarryTheSiteOffsetAndSkipTheWeekend() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            // Friday 5 to Sunday 7 March 2027.
            let slots = try await client.json("/api/v1/slots?service=A&from=2027-03-05&to=2027-03-07").decoded([SlotItem].self)
            #expect(slots.count == 15)
            #expect(slots.first?.start == "2027-03-05T07:30:00+07:00")
            #expect(slots.first?.end == "2027-03-05T08:00:00+07:00")
            #expect(slots.last?.start == "2027-03-05T16:30:00+07:00")
            #expect(slots.allSatisfy { $0.start.hasPrefix("2027-03-05") && $0.available == $0.capacity })
        }
    }
}
