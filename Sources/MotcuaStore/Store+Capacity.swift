import Foundation
import GRDB
import MotcuaCore

/// The outcome of a manager's capacity change: the slots as they are now, and the bookings
/// pushed out (only when forced), which staff must contact.
public struct CapacityChange: Sendable {
    public let slots: [Slot]
    public let displaced: [Booking]
}

public enum CapacityRefusal: Error, Equatable, Sendable {
    case slotNotFound
    /// Lowering would leave these slots with more bookings than places; `force` displaces
    /// `wouldDisplace`, which a manager sees before confirming.
    case belowBooked(slotIds: [Int64], booked: Int, wouldDisplace: [Booking])
}

extension Store {
    /// Sets the capacity of the given slots in one transaction and audits it. Lowering a slot
    /// below its bookings is refused unless `force`; then the most recent bookings beyond the
    /// new capacity are marked displaced and flagged for contact, never deleted.
    public func setCapacity(
        slotIds: [Int64], capacity: Int, force: Bool, actor: String, reason: String?, now: Date
    ) async throws -> CapacityChange {
        try await write { db in
            let slots = try Slot.filter(keys: slotIds).order(Column("start")).fetchAll(db)
            guard slots.count == Set(slotIds).count, !slots.isEmpty else { throw CapacityRefusal.slotNotFound }
            return try Self.applyCapacity(db, self.sealer, slots: slots, capacity: capacity, force: force, actor: actor, reason: reason, now: now)
        }
    }

    /// The ids of a service's slots starting in [from, to).
    public func slotIds(serviceId: String, from: Date, to: Date) async throws -> [Int64] {
        try await read { db in
            try Int64.fetchAll(
                db, Slot.select(Column("id")).filter(Column("serviceId") == serviceId && Column("start") >= from && Column("start") < to)
            )
        }
    }

    static func applyCapacity(
        _ db: Database, _ sealer: PersonalDataSealer, slots: [Slot], capacity: Int, force: Bool, actor: String, reason: String?, now: Date
    ) throws -> CapacityChange {
        let over = slots.filter { $0.booked > capacity }
        if !over.isEmpty && !force {
            let wouldDisplace = try over.flatMap { slot in try bookingsBeyond(db, slot: slot, capacity: capacity).map { try $0.booking(in: slot, sealer) } }
            throw CapacityRefusal.belowBooked(slotIds: over.map(\.id), booked: over.map(\.booked).max() ?? 0, wouldDisplace: wouldDisplace)
        }
        var displaced: [Booking] = []
        var updated: [Slot] = []
        for var slot in slots {
            let before = slot
            if slot.booked > capacity {
                let rows = try bookingsBeyond(db, slot: slot, capacity: capacity)
                for var row in rows {
                    row.status = .displaced
                    row.needsContact = true
                    row.updatedAt = now
                    try row.update(db)
                    displaced.append(try row.booking(in: slot, sealer))
                }
                slot.booked -= rows.count
            }
            slot.capacity = capacity
            try slot.update(db)
            updated.append(slot)
            try db.audit(
                "slot.capacity", subject: "slot:\(slot.id)", actor: actor,
                before: CapacityState(capacity: before.capacity, booked: before.booked, displaced: nil, reason: nil),
                after: CapacityState(
                    capacity: slot.capacity, booked: slot.booked,
                    displaced: displaced.filter { $0.slotId == slot.id }.map(\.code.compact), reason: reason
                ),
                at: now
            )
        }
        return CapacityChange(slots: updated, displaced: displaced)
    }

    /// The bookings a slot loses at `capacity`: the most recent ones beyond it.
    private static func bookingsBeyond(_ db: Database, slot: Slot, capacity: Int) throws -> [BookingRow] {
        try BookingRow
            .filter(Column("slotId") == slot.id && Column("status") == Booking.Status.booked.rawValue)
            .order(Column("createdAt").desc, Column("id").desc)
            .limit(max(slot.booked - capacity, 0))
            .fetchAll(db)
    }

    /// Bookings pushed out by capacity changes that nobody has contacted yet, oldest slot first.
    public func bookingsNeedingContact() async throws -> [Booking] {
        try await read { db in
            let rows = try BookingRow.filter(Column("needsContact") == true).order(Column("slotId")).fetchAll(db)
            return try rows.map { row in
                guard let slot = try Slot.fetchOne(db, key: row.slotId) else { throw DatabaseError(message: "booking without slot") }
                return try row.booking(in: slot, self.sealer)
            }
        }
    }

    public func auditTrail(subject: String) async throws -> [AuditEntry] {
        try await read { db in try AuditEntry.filter(Column("subject") == subject).order(Column("id")).fetchAll(db) }
    }
}

/// Who changed what, when, from what to what (as JSON). Written in the same transaction as
/// the change.
public struct AuditEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"

    public let at: Date
    public let actor: String
    public let action: String
    public let subject: String
    public let before: String?
    public let after: String?

    /// The before or after state read back as `State`.
    public func state<State: Decodable>(_ side: KeyPath<AuditEntry, String?>, as type: State.Type) -> State? {
        self[keyPath: side].flatMap { try? JSONDecoder().decode(State.self, from: Data($0.utf8)) }
    }
}

/// A slot's capacity as the audit trail records it.
public struct CapacityState: Codable, Sendable, Equatable {
    public let capacity: Int
    public let booked: Int
    public let displaced: [String]?
    public let reason: String?
}

extension Database {
    func audit(
        _ action: String, subject: String, actor: String, before: (some Encodable)?, after: (some Encodable)?, at now: Date
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ value: (some Encodable)?) throws -> String? {
            try value.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        }
        try AuditEntry(at: now, actor: actor, action: action, subject: subject, before: json(before), after: json(after)).insert(self)
    }
}
