import Foundation
import GRDB
import MotcuaCore

/// The demo centre `motcua serve --demo` loads into an empty database: three submission
/// services, two clinic departments, counters, a catalog of real procedures, slots for the
/// next two weeks of working days, and one console account per staff role.
public enum DemoCentre {
    public struct Account: Sendable {
        public let username: String
        public let password: String
        public let role: Role
        public let displayName: String
    }

    /// Printed by `make run` so a new user can log in to the consoles. Demo only.
    public static let accounts = [
        Account(username: "quanly", password: "quanly-demo", role: .manager, displayName: "Nguyễn Thị Quản Lý"),
        Account(username: "canbo", password: "canbo-demo", role: .officer, displayName: "Trần Văn Cán Bộ"),
    ]

    static let services = [
        Service(id: "A", name: "Hộ tịch – Chứng thực", nameEn: "Civil status and certification", kind: .submission, prefix: "A"),
        Service(id: "B", name: "Đất đai – Xây dựng", nameEn: "Land and construction", kind: .submission, prefix: "B"),
        Service(id: "C", name: "Kinh doanh – Đầu tư – Lao động", nameEn: "Business, investment and labour", kind: .submission, prefix: "C"),
        Service(id: "K", name: "Khám Nội tổng quát", nameEn: "General internal medicine clinic", kind: .clinic, prefix: "K"),
        Service(id: "N", name: "Khám Nhi", nameEn: "Paediatric clinic", kind: .clinic, prefix: "N"),
    ]

    static let counters = [
        Counter(id: 1, name: "Quầy 1", serviceIds: ["A"], isOpen: true),
        Counter(id: 2, name: "Quầy 2", serviceIds: ["A"], isOpen: true),
        Counter(id: 3, name: "Quầy 3", serviceIds: ["A", "B"], isOpen: true),
        Counter(id: 4, name: "Quầy 4", serviceIds: ["B"], isOpen: true),
        Counter(id: 5, name: "Quầy 5", serviceIds: ["C"], isOpen: true),
        Counter(id: 6, name: "Quầy 6", serviceIds: ["A", "C"], isOpen: false),
        Counter(id: 7, name: "Phòng khám Nội", serviceIds: ["K"], isOpen: true),
        Counter(id: 8, name: "Phòng khám Nhi", serviceIds: ["N"], isOpen: true),
    ]

    /// One-stop desk hours (07:30–11:30, 13:30–17:00) in 30-minute slots, one place per
    /// counter; clinics in 15-minute slots, two patients each.
    static func template(for service: Service) -> SlotTemplate {
        func session(_ start: String, _ end: String) -> SlotTemplate.Session {
            SlotTemplate.Session(start: TimeOfDay(start)!, end: TimeOfDay(end)!)
        }
        switch service.kind {
        case .submission:
            let places = counters.filter { $0.serviceIds.contains(service.id) }.count
            return SlotTemplate(sessions: [session("07:30", "11:30"), session("13:30", "17:00")], slotMinutes: 30, capacity: places)
        case .clinic:
            return SlotTemplate(sessions: [session("07:00", "11:30"), session("13:30", "16:30")], slotMinutes: 15, capacity: 2)
        }
    }

    static let bookingDays = 14

    /// Loads the demo centre unless the database already holds services. Returns whether it did.
    public static func seedIfEmpty(_ store: Store, today: LocalDate, timeZone: TimeZone, at now: Date) async throws -> Bool {
        // Every `--demo` start comes here; the catalog file is read and checked only when it
        // will be loaded. The write checks again, for two starts racing on one file.
        guard try await store.read({ db in try Service.fetchCount(db) == 0 }) else { return false }
        let procedures = try catalog()
        let seeded = try await store.write { db in
            guard try Service.fetchCount(db) == 0 else { return false }
            for (position, service) in services.enumerated() {
                try service.insert(db)
                try db.execute(sql: "UPDATE service SET position = ? WHERE id = ?", arguments: [position, service.id])
                try SlotTemplateRow(serviceId: service.id, effectiveFrom: today.iso, template: template(for: service)).insert(db)
            }
            for counter in counters { try db.insert(counter) }
            for procedure in procedures { try procedure.insert(db) }
            return true
        }
        guard seeded else { return false }
        _ = try await store.syncSlots(
            days: (0..<bookingDays).map { today.adding(days: $0) }, calendar: WorkingCalendar(), timeZone: timeZone, actor: "demo", now: now
        )
        for account in accounts {
            try await store.createUser(
                username: account.username, displayName: account.displayName, role: account.role, password: account.password, at: now
            )
        }
        return true
    }

    /// The demo procedures, from the catalog file shipped with the store, checked against
    /// the demo's submission services.
    static func catalog() throws -> [Procedure] {
        guard let url = Bundle.module.url(forResource: "procedures", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "procedures.yaml"])
        }
        return try ProcedureFile.load(contentsOf: url, serviceIds: Set(services.filter { $0.kind == .submission }.map(\.id)))
    }
}

extension Database {
    func insertSlots(serviceId: String, windows: [(start: Date, end: Date)], capacity: Int) throws {
        let statement = try cachedStatement(sql: "INSERT INTO slot (serviceId, start, end, capacity) VALUES (?, ?, ?, ?)")
        for window in windows {
            try statement.execute(arguments: [serviceId, window.start.storedText, window.end.storedText, capacity])
        }
    }
}
