import Foundation
import MotcuaCore
import Testing
@testable import MotcuaStore

@Suite struct DemoCentreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func seedsOnceWithServicesCountersAndRealProcedures() async throws {
        let (store, _) = try temporaryStore()
        let today = try #require(LocalDate(year: 2027, month: 3, day: 1))

        let first = try await DemoCentre.seedIfEmpty(store, today: today, timeZone: saigon, at: now)
        let second = try await DemoCentre.seedIfEmpty(store, today: today, timeZone: saigon, at: now)

        #expect(first && !second)
        let services = try await store.services()
        #expect(services.filter { $0.kind == .submission }.map(\.prefix) == ["A", "B", "C"])
        #expect(services.filter { $0.kind == .clinic }.count == 2)
        #expect(try await store.counters().count >= 6)
        let procedures = try await store.procedures()
        #expect(procedures.count >= 10)
        #expect(Set(procedures.map(\.serviceId)).isSubset(of: Set(services.map(\.id))))
        #expect(procedures.allSatisfy { $0.name == VietnameseText.nfc($0.name) && !$0.documents.isEmpty })
    }

    /// The wizard's parts (e-forms, conditional documents, result delivery) are stored and
    /// read back as the catalog file has them.
    @Test func theCatalogFileRoundTripsThroughTheStore() async throws {
        let (store, _) = try temporaryStore()
        _ = try await DemoCentre.seedIfEmpty(store, today: try #require(LocalDate(year: 2027, month: 3, day: 1)), timeZone: saigon, at: now)

        let stored = try await store.procedures()

        #expect(stored == (try DemoCentre.catalog()).sorted { $0.code < $1.code })
        #expect(stored.contains { !$0.eform.isEmpty && $0.documents.contains { $0.requiredWhen != nil } })
    }

    /// Two weeks from Monday 2027-02-01 span Tết 2027 (Saturday 6 February): the seeded days
    /// must be exactly the calendar's working days, and Monday 8 February is not one.
    @Test func slotsOnlyOnWorkingDaysAcrossTet() async throws {
        let (store, _) = try temporaryStore()
        let today = try #require(LocalDate(year: 2027, month: 2, day: 1))

        _ = try await DemoCentre.seedIfEmpty(store, today: today, timeZone: saigon, at: now)

        let slots = try await store.slots(serviceId: "A", from: today.start(in: saigon), to: today.adding(days: 14).start(in: saigon))
        let days = Set(slots.map { LocalDate($0.start, in: saigon) })
        let calendar = WorkingCalendar()
        let expected = Set((0..<14).map { today.adding(days: $0) }.filter(calendar.isWorkingDay))
        #expect(days == expected)
        #expect(!days.contains(LocalDate(year: 2027, month: 2, day: 8)!))
        #expect(days.allSatisfy { $0.weekday != .saturday && $0.weekday != .sunday })
        // 15 half-hour slots a day (8 in the morning, 7 in the afternoon), one place per counter serving A.
        #expect(slots.count == days.count * 15)
        #expect(slots.allSatisfy { $0.capacity == 4 && $0.booked == 0 })
    }
}
