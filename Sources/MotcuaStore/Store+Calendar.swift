import Foundation
import GRDB
import MotcuaCore

struct SlotTemplateRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "slotTemplate"
    var serviceId: String
    var effectiveFrom: String
    var template: SlotTemplate
}

struct HolidayNoticeRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "holidayNotice"
    var year: Int
    var notice: HolidayNotice
    var updatedAt: Date
    var updatedBy: String
}

/// Whether a pass of `syncSlots` also sets the template's capacity on the slots it keeps.
public enum TemplateCapacity: Sendable {
    /// The routine pass: a manager's per-slot edits stand.
    case keepSlotEdits
    /// After a template change: kept slots take its capacity; lowering below bookings is
    /// refused (`CapacityRefusal.belowBooked`) unless forced, as for any capacity change.
    case apply(force: Bool)
}

/// What one pass of keeping slots in step changed.
public struct SlotSync: Sendable, Equatable {
    public var added = 0
    public var removed = 0
    /// Slots that had bookings on a day that stopped being open: closed, not deleted.
    public var closed = 0
    public var displaced: [BookingCode] = []

    public init() {}

    /// Whether the pass changed nothing.
    public var isEmpty: Bool { self == SlotSync() }
}

extension Store {
    public func holidayNotices() async throws -> [HolidayNotice] {
        try await read { db in try HolidayNoticeRow.order(Column("year")).fetchAll(db).map(\.notice) }
    }

    public func saveHolidayNotice(_ notice: HolidayNotice, by actor: String, at now: Date) async throws {
        try await write { db in
            try HolidayNoticeRow(year: notice.year, notice: notice, updatedAt: now, updatedBy: actor).save(db)
        }
    }

    /// A service's template from `day` on. Days already materialised keep their slots until
    /// the next `syncSlots`, which reshapes them and updates their capacity.
    public func saveTemplate(_ template: SlotTemplate, serviceId: String, from day: LocalDate) async throws {
        try await write { db in
            try SlotTemplateRow(serviceId: serviceId, effectiveFrom: day.iso, template: template).save(db)
        }
    }

    /// Makes the slots of `days` match the templates and the working calendar, in one
    /// transaction: missing slots are added, slots no template or working day calls for are
    /// deleted when nobody ever booked them, or closed (capacity 0) with their bookings
    /// displaced and flagged for contact when someone did (a day the government or the
    /// manager closed is closed, whoever booked it).
    public func syncSlots(
        days: [LocalDate], calendar: WorkingCalendar, timeZone: TimeZone,
        capacity policy: TemplateCapacity = .keepSlotEdits, actor: String, now: Date
    ) async throws -> SlotSync {
        try await write { db in
            var sync = SlotSync()
            let templates = Dictionary(grouping: try SlotTemplateRow.order(Column("effectiveFrom").desc).fetchAll(db), by: \.serviceId)
            let services = try String.fetchAll(db, sql: "SELECT id FROM service")
            for serviceId in services {
                for day in days {
                    let template = templates[serviceId]?.first { $0.effectiveFrom <= day.iso }?.template
                    let windows = template?.windows(on: day, in: timeZone, calendar: calendar) ?? []
                    try Self.reshape(
                        db, self.sealer, serviceId: serviceId, day: day, windows: windows, template: template, policy: policy,
                        timeZone: timeZone, actor: actor, now: now, into: &sync
                    )
                }
            }
            return sync
        }
    }

    private static func reshape(
        _ db: Database, _ sealer: PersonalDataSealer, serviceId: String, day: LocalDate, windows: [(start: Date, end: Date)], template: SlotTemplate?,
        policy: TemplateCapacity, timeZone: TimeZone, actor: String, now: Date, into sync: inout SlotSync
    ) throws {
        // Bounds as stored text: a Date argument goes through GRDB's DateFormatter, which
        // loads ICU's locale and calendar data, and this runs at every start.
        let existing = try Slot
            .filter(Column("serviceId") == serviceId && Column("start") >= day.start(in: timeZone).storedText
                && Column("start") < day.adding(days: 1).start(in: timeZone).storedText)
            .fetchAll(db)
        let wanted = Set(windows.map(\.start))
        let have = Set(existing.map(\.start))
        let missing = windows.filter { !have.contains($0.start) }
        try db.insertSlots(serviceId: serviceId, windows: missing, capacity: template?.capacity ?? 0)
        sync.added += missing.count

        let orphans = existing.filter { !wanted.contains($0.start) }
        let everBooked = try Set(Int64.fetchAll(
            db, BookingRow.select(Column("slotId")).filter(orphans.map(\.id).contains(Column("slotId")))
        ))
        let deletable = orphans.filter { !everBooked.contains($0.id) }
        _ = try Slot.deleteAll(db, keys: deletable.map(\.id))
        sync.removed += deletable.count
        let toClose = orphans.filter { everBooked.contains($0.id) && $0.capacity > 0 }
        if !toClose.isEmpty {
            let change = try applyCapacity(db, sealer, slots: toClose, capacity: 0, force: true, actor: actor, reason: "not open on \(day.iso)", now: now)
            sync.closed += toClose.count
            sync.displaced += change.displaced.map(\.code)
        }
        if case .apply(let force) = policy, let capacity = template?.capacity {
            let kept = existing.filter { wanted.contains($0.start) && $0.capacity != capacity }
            if !kept.isEmpty {
                let change = try applyCapacity(db, sealer, slots: kept, capacity: capacity, force: force, actor: actor, reason: "template", now: now)
                sync.displaced += change.displaced.map(\.code)
            }
        }
    }
}
