import Foundation
import GRDB
import MotcuaCore

/// How long personal data is kept, per kind. After that the rows stay (figures, registers,
/// the queue's history) without the person in them.
public struct RetentionPolicy: Sendable, Equatable {
    /// Days after a booking's slot ended.
    public var bookingDays = 90
    /// Days after a dossier last changed (received, supplement, refusal, or prepared and
    /// never brought): the agency's own system keeps the file, the kiosk needs it no longer.
    public var dossierDays = 365
    /// Days an entry of the personal-data access log is kept.
    public var accessLogDays = 730

    public init() {}
}

/// What one purge removed.
public struct PurgeCounts: Sendable, Equatable {
    public let bookings: Int
    public let dossiers: Int
    public let accessLogEntries: Int

    public var isEmpty: Bool { bookings == 0 && dossiers == 0 && accessLogEntries == 0 }
}

/// Everything held about one person, for an export request.
public struct PersonRecords: Sendable {
    public let bookings: [Booking]
    public let dossiers: [DossierRecord]
}

/// One line of the personal-data access log.
public struct PersonalDataAccess: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "personalDataAccess"
    public enum Action: String, Codable, Sendable {
        case read, export, erase
    }
    public let at: Date
    public let actor: String
    public let action: Action
    /// `booking:CODE`, `dossier:CODE`, or `person:` and the first digits of the ID number's
    /// keyed hash (the log itself must not hold the number).
    public let subject: String

    public init(at: Date, actor: String, action: Action, subject: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
    }
}

extension Store {
    /// Seals whatever is not sealed under the current key: values written before sealing
    /// existed, or under a key rotated out since. Run at start, before serving; one
    /// transaction, so a crash leaves every row either as it was or sealed anew.
    /// Returns how many rows it changed.
    @discardableResult
    public func resealPersonalData() async throws -> Int {
        try await write { db in
            let sealer = self.sealer
            let current = "pd1.\(sealer.keyId).%"
            var changed = 0
            for var row in try BookingRow.filter(sql: """
                (idNumberSealed IS NULL AND idHash NOT LIKE 'erased:%') OR idNumberSealed NOT LIKE ? OR (phone != '' AND phone NOT LIKE ?)
                """, arguments: [current, current]).fetchAll(db) {
                let citizen = row.idNumberSealed == nil
                    ? Citizen(fullName: row.fullName, idNumber: row.idHash, phone: row.phone)  // from before sealing
                    : try row.citizen(sealer)
                row.idHash = sealer.matchingHash(citizen.idNumber)
                row.idNumberSealed = try sealer.seal(citizen.idNumber)
                row.phone = try sealer.seal(citizen.phone)
                try row.update(db)
                changed += 1
            }
            for var row in try DossierRow.filter(sql: "body NOT LIKE ?", arguments: [current]).fetchAll(db) {
                let dossier = try DossierJSON.open(Dossier.self, row.body, sealer)
                row.body = try DossierJSON.sealed(dossier, sealer)
                let idNumber = dossier.applicant.citizen.idNumber
                row.applicantHash = idNumber.isEmpty ? nil : sealer.matchingHash(idNumber)
                try row.update(db)
                changed += 1
            }
            let drafts = try Row.fetchAll(db, sql: "SELECT code, body FROM dossierDraft WHERE body NOT LIKE ?", arguments: [current])
            for draft in drafts {
                let opened = try DossierJSON.open(DossierDraft.self, draft["body"], sealer)
                try db.execute(
                    sql: "UPDATE dossierDraft SET body = ? WHERE code = ?", arguments: [try DossierJSON.sealed(opened, sealer), draft["code"] as String]
                )
            }
            return changed + drafts.count
        }
    }

    /// Removes the personal data that is past its retention, and old access log entries.
    public func purgePersonalData(retention: RetentionPolicy, now: Date) async throws -> PurgeCounts {
        try await write { db in
            let day: TimeInterval = 86_400
            let bookings = try BookingRow.filter(sql: """
                idHash NOT LIKE 'erased:%' AND status != 'booked' AND slotId IN (SELECT id FROM slot WHERE "end" < ?)
                """, arguments: [now.addingTimeInterval(-Double(retention.bookingDays) * day).storedText]).fetchAll(db)
            for row in bookings { try Self.erase(db, row) }
            let dossiers = try DossierRow.filter(sql: "applicantHash IS NOT NULL AND updatedAt < ?", arguments: [
                now.addingTimeInterval(-Double(retention.dossierDays) * day).storedText,
            ]).fetchAll(db)
            for row in dossiers { try Self.erase(db, row, self.sealer) }
            try db.execute(sql: "DELETE FROM personalDataAccess WHERE at < ?", arguments: [
                now.addingTimeInterval(-Double(retention.accessLogDays) * day).storedText,
            ])
            return PurgeCounts(bookings: bookings.count, dossiers: dossiers.count, accessLogEntries: db.changesCount)
        }
    }

    /// Every booking and dossier of the person with `idNumber`; the export is logged.
    public func personRecords(idNumber: String, actor: String, now: Date) async throws -> PersonRecords {
        try await write { db in
            let hash = self.sealer.matchingHash(idNumber)
            let bookings = try BookingRow.ofPerson(hash).order(Column("id")).fetchAll(db)
            let dossiers = try DossierRow.filter(Column("applicantHash") == hash).order(Column("code")).fetchAll(db)
            try PersonalDataAccess(at: now, actor: actor, action: .export, subject: Self.personSubject(hash)).insert(db)
            return PersonRecords(
                bookings: try bookings.map { row in
                    guard let slot = try Slot.fetchOne(db, key: row.slotId) else { throw BookingRefusal.slotNotFound }
                    return try row.booking(in: slot, self.sealer)
                },
                dossiers: try dossiers.map { try $0.record(db, self.sealer) }
            )
        }
    }

    /// Erases the person with `idNumber` from every booking and dossier, at their request:
    /// a booking still to come is cancelled first, giving its place back. Logged and audited.
    public func erasePerson(idNumber: String, actor: String, now: Date) async throws -> (bookings: Int, dossiers: Int) {
        try await write { db in
            let hash = self.sealer.matchingHash(idNumber)
            let bookings = try BookingRow.ofPerson(hash).fetchAll(db)
            for var row in bookings {
                if row.status == .booked {
                    try db.execute(sql: "UPDATE slot SET booked = booked - 1 WHERE id = ? AND booked > 0", arguments: [row.slotId])
                    row.status = .cancelled
                    row.updatedAt = now
                }
                try Self.erase(db, row)
            }
            let dossiers = try DossierRow.filter(Column("applicantHash") == hash).fetchAll(db)
            for row in dossiers { try Self.erase(db, row, self.sealer) }
            let subject = Self.personSubject(hash)
            try PersonalDataAccess(at: now, actor: actor, action: .erase, subject: subject).insert(db)
            try db.audit(
                "person.erase", subject: subject, actor: actor, before: nil as String?,
                after: ["bookings": bookings.count, "dossiers": dossiers.count], at: now
            )
            return (bookings.count, dossiers.count)
        }
    }

    /// Notes that `actor` read the personal data of `subject` in full (a counter opening a
    /// dossier, a manager listing displaced bookings with their phones).
    public func logPersonalDataRead(subjects: [String], actor: String, now: Date) async throws {
        guard !subjects.isEmpty else { return }
        try await write { db in
            for subject in subjects { try PersonalDataAccess(at: now, actor: actor, action: .read, subject: subject).insert(db) }
        }
    }

    /// The access log from `from` up to `to`, oldest first.
    public func personalDataAccess(from: Date, to: Date) async throws -> [PersonalDataAccess] {
        try await read { db in
            try PersonalDataAccess.filter(Column("at") >= from && Column("at") < to).order(Column("id")).fetchAll(db)
        }
    }

    /// The row stays (its place in the day's figures); the person goes. The hash becomes
    /// unique per row so the one-booking-per-person index never sees two erased alike.
    private static func erase(_ db: Database, _ row: BookingRow) throws {
        var erased = row
        erased.fullName = ""
        erased.idHash = "erased:\(row.id ?? 0)"
        erased.idNumberSealed = nil
        erased.phone = ""
        try erased.update(db)
    }

    private static func erase(_ db: Database, _ row: DossierRow, _ sealer: PersonalDataSealer) throws {
        var erased = row
        erased.body = try DossierJSON.sealed(try DossierJSON.open(Dossier.self, row.body, sealer).erasingPersonalData(), sealer)
        erased.applicantHash = nil
        try erased.update(db)
    }

    private static func personSubject(_ hash: String) -> String {
        "person:\(hash.prefix(12))"
    }
}
