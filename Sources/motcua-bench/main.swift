// In-process benchmarks of the store, run by `make bench` (scripts/bench.py reads the JSON
// lines this prints). Built in release mode; each figure on a fresh database file.
import Crypto
import Foundation
import MotcuaCore
import MotcuaStore

let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : NSTemporaryDirectory()
let today = LocalDate(Date(), in: saigon)

func report(_ name: String, _ value: Double, _ unit: String) {
    print(#"{"name": "\#(name)", "value": \#(value), "unit": "\#(unit)"}"#)
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// A demo store whose slots take `capacity` people each, with the slots of `days` days.
func demoStore(_ name: String, capacity: Int, extraServices: Int = 0) async throws -> Store {
    let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
    let store = try Store(path: path, sealer: PersonalDataSealer(current: SymmetricKey(size: .bits256)))
    _ = try await DemoCentre.seedIfEmpty(store, today: today, timeZone: saigon, at: Date())
    let template = SlotTemplate(
        sessions: [.init(start: TimeOfDay("07:30")!, end: TimeOfDay("11:30")!), .init(start: TimeOfDay("13:30")!, end: TimeOfDay("17:00")!)],
        slotMinutes: 30, capacity: capacity
    )
    for n in 0..<extraServices {
        try await store.write { db in
            try db.execute(sql: "INSERT INTO service (id, name, nameEn, kind, prefix) VALUES (?, ?, ?, 'clinic', ?)",
                           arguments: ["X\(n)", "Khoa \(n)", "Department \(n)", "X\(n)"])
        }
    }
    for service in try await store.services() {
        try await store.saveTemplate(template, serviceId: service.id, from: today)
    }
    _ = try await store.syncSlots(
        days: (0...30).map { today.adding(days: $0) }, calendar: WorkingCalendar(), timeZone: saigon,
        capacity: .apply(force: true), actor: "bench", now: Date()
    )
    return store
}

func citizen(_ n: Int) -> Citizen {
    Citizen(fullName: "Nguyễn Văn An", idNumber: String(format: "0012%08d", n), phone: String(format: "09%08d", n % 100_000_000))
}

/// Bookings through the store, `clients` at a time, spread over every future slot.
func bookingThroughput(clients: Int, count: Int) async throws -> Double {
    let store = try await demoStore("booking-\(clients)", capacity: 1000)
    let tomorrow = today.adding(days: 1).start(in: saigon)
    var future: [Int64] = []
    for service in try await store.services() {
        future += try await store.slotIds(serviceId: service.id, from: tomorrow, to: tomorrow.addingTimeInterval(28 * 86_400))
    }
    let slots = future
    let rules = BookingRules()
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<clients {
            group.addTask {
                for n in stride(from: client, to: count, by: clients) {
                    _ = try await store.book(
                        slotId: slots[n % slots.count], citizen: citizen(n), rules: rules, now: Date(), timeZone: saigon
                    )
                }
            }
        }
        try await group.waitForAll()
    }
    let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
    try store.close()
    return Double(count) / seconds
}

/// Free slots of one service over 30 days, for each of 10 services in turn.
func freeSlotSearch(rounds: Int) async throws -> (p50: Double, p99: Double, slotsPerQuery: Int) {
    let store = try await demoStore("search", capacity: 4, extraServices: 5)
    let services = try await store.services().map(\.id)
    let from = today.start(in: saigon), to = today.adding(days: 30).start(in: saigon)
    var timings: [Double] = []
    var found = 0
    for round in 0..<rounds {
        let started = ContinuousClock.now
        let free = try await store.slots(serviceId: services[round % services.count], from: from, to: to).filter { $0.available > 0 }
        let elapsed = ContinuousClock.now - started
        timings.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        found = free.count
    }
    try store.close()
    return (percentile(timings, 0.5), percentile(timings, 0.99), found)
}

/// `MOTCUA_BENCH_ONLY=concurrent` runs the one figure, for comparing two builds run after run
/// on a machine whose speed drifts.
let only = ProcessInfo.processInfo.environment["MOTCUA_BENCH_ONLY"]
if only == nil || only == "sequential" {
    report("store_booking_sequential_per_s", try await bookingThroughput(clients: 1, count: 20_000), "bookings/s")
}
if only == nil || only == "concurrent" {
    report("store_booking_32_clients_per_s", try await bookingThroughput(clients: 32, count: 40_000), "bookings/s")
}
if only == nil || only == "search" {
    let search = try await freeSlotSearch(rounds: 2_000)
    report("free_slot_search_p50_ms", search.p50, "ms")
    report("free_slot_search_p99_ms", search.p99, "ms")
    report("free_slot_search_slots", Double(search.slotsPerQuery), "slots")
}
