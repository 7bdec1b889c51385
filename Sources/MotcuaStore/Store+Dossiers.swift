import Foundation
import GRDB
import MotcuaCore

/// A dossier as kept after the kiosk: what was prepared, and what the counter did with it.
/// Holds personal data (inside `dossier`), so it prints as its code and status only.
public struct DossierRecord: Sendable, Equatable {
    public let dossier: Dossier
    public let status: DossierStatus
    /// The "submit now" ticket; or, for a booked dossier, the ticket its check-in issued.
    public let ticketId: Int64?
    public let bookingCode: BookingCode?
    public let receivedAt: Date?
    /// Ngày hẹn trả: counted from the counter's receipt once received, from the kiosk's
    /// "submit now" before that, nil for a booked dossier not yet received.
    public let expectedReturnDate: LocalDate?
    /// The number in the year's receipt register (sổ theo dõi hồ sơ), from 1.
    public let registerNumber: Int?
    /// Who decided at the counter.
    public let officer: String?
    public let decision: StoredDecision?
    public let updatedAt: Date

    /// The supplement or refusal as decided, for reprinting its form.
    public struct StoredDecision: Sendable, Equatable, Codable {
        public let reason: String
        public let documents: [CounterDecision.SupplementItem]
    }
}

extension DossierRecord: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "DossierRecord(\(dossier.code), \(status.rawValue))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["code": dossier.code, "status": status], displayStyle: .struct) }
}

/// What finishing a draft made: the dossier and the ticket or booking that goes with it.
public struct FinishedDossier: Sendable {
    public let record: DossierRecord
    public let ticket: Ticket?
    public let booking: Booking?
}

/// How a "book a slot" dossier gets its booking.
public enum DossierBooking: Sendable {
    /// A slot of this node's calendar, booked inside the dossier's own transaction.
    case slot(DossierSlotChoice)
    /// Already booked on the centre's calendar by a site, which keeps the dossier and names
    /// the booking by its code.
    case madeAtCentre(Booking)
}

/// The slot a dossier is booked into, with the rules any booking obeys.
public struct DossierSlotChoice: Sendable {
    public let slotId: Int64
    public let rules: BookingRules

    public init(slotId: Int64, rules: BookingRules) {
        self.slotId = slotId
        self.rules = rules
    }
}

/// Why a dossier action was refused.
public enum DossierRefusal: Error, Equatable, Sendable {
    case draftNotFound
    case dossierNotFound
    /// The counter's decision does not apply to a dossier in this status (e.g. receiving a
    /// refused one).
    case wrongStatus(DossierStatus)
    /// A "book a slot" finish needs a slot of the service that receives the procedure.
    case slotRequired
    case slotOfAnotherService
}

/// What the dossier events on the outbox carry: counts and codes, no personal data. The
/// upstream export reads the dossier itself.
struct DossierEvent: Encodable {
    let code: String
    let procedureCode: String
    let serviceId: String
    let status: DossierStatus
    let submission: DossierSubmission
    let ticketId: Int64?
    let booking: Bool
    let autofilled: Int
    let filled: Int
    let expectedReturnDate: LocalDate?
}

struct DossierRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "dossier"
    var code: String
    var draftCode: String
    var day: String
    var procedureCode: String
    var serviceId: String
    var status: DossierStatus
    var body: String
    var ticketId: Int64?
    var bookingId: Int64?
    /// Every booked dossier's booking, also one the centre holds: its check-in ticket carries
    /// the same code.
    var bookingCode: String?
    var autofilled: Int
    var filled: Int
    var receivedAt: Date?
    var expectedReturnDate: String?
    var registerNumber: Int?
    var officer: String?
    var decision: String?
    var updatedAt: Date
    /// The applicant's ID number as a keyed hash: how one person's dossiers are found.
    var applicantHash: String?

    func record(_ db: Database, _ sealer: PersonalDataSealer) throws -> DossierRecord {
        let dossier = try DossierJSON.open(Dossier.self, body, sealer)
        // A booked dossier's ticket is the one its booking's check-in issued.
        let ticket = try ticketId ?? bookingCode.flatMap {
            try Int64.fetchOne(db, sql: "SELECT id FROM ticket WHERE bookingCode = ?", arguments: [$0])
        }
        return DossierRecord(
            dossier: dossier, status: status, ticketId: ticket, bookingCode: bookingCode.flatMap(BookingCode.init(compact:)),
            receivedAt: receivedAt, expectedReturnDate: expectedReturnDate.flatMap(LocalDate.init(iso:)),
            registerNumber: registerNumber, officer: officer,
            decision: try decision.map { try DossierJSON.decoder.decode(DossierRecord.StoredDecision.self, from: Data($0.utf8)) },
            updatedAt: updatedAt
        )
    }

    var event: DossierEvent {
        // Decoding the body again only for the submission would be waste: a dossier has a
        // ticket from the kiosk exactly when it was submitted now.
        DossierEvent(
            code: code, procedureCode: procedureCode, serviceId: serviceId, status: status,
            submission: bookingCode == nil ? .submitNow : .bookSlot, ticketId: ticketId, booking: bookingCode != nil,
            autofilled: autofilled, filled: filled, expectedReturnDate: expectedReturnDate.flatMap(LocalDate.init(iso:))
        )
    }
}

/// One JSON form for drafts and dossiers in the database: keys sorted, dates exact.
enum DossierJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    static let decoder = JSONDecoder()

    static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A draft or dossier as stored: it holds the applicant's ID and phone numbers.
    static func sealed<T: Encodable>(_ value: T, _ sealer: PersonalDataSealer) throws -> String {
        try sealer.seal(try text(value))
    }

    /// Reads a stored body back; a plain one is from before sealing and is sealed at start.
    static func open<T: Decodable>(_ type: T.Type, _ stored: String, _ sealer: PersonalDataSealer) throws -> T {
        try decoder.decode(type, from: Data((sealer.isSealed(stored) ? try sealer.open(stored) : stored).utf8))
    }
}

// MARK: Drafts

extension Store {
    /// Saves a new draft under an unused code.
    public func startDraft(
        _ wizard: DossierWizard, now: Date, newCode: @escaping @Sendable () -> DraftCode
    ) async throws -> DossierDraft {
        try await writeShared { db in
            while true {
                let draft = wizard.start(code: newCode(), now: now)
                let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM dossierDraft WHERE code = ?", arguments: [draft.code.compact]) ?? false
                guard !taken else { continue }
                try Self.save(db, draft, inserting: true, self.sealer)
                return draft
            }
        }
    }

    public func draft(code: DraftCode) async throws -> DossierDraft? {
        try await read { db in try Self.draft(db, code: code, self.sealer) }
    }

    /// Applies one wizard change to the saved draft and saves the result, in one
    /// transaction: two kiosks (or a double tap) changing one draft never lose a change. If
    /// `change` throws, the draft stays as it was.
    public func changeDraft<T: Sendable>(
        code: DraftCode, _ change: @escaping @Sendable (inout DossierDraft) throws -> T
    ) async throws -> (draft: DossierDraft, result: T) {
        try await writeShared { db in
            guard var draft = try Self.draft(db, code: code, self.sealer) else { throw DossierRefusal.draftNotFound }
            let result = try change(&draft)
            try Self.save(db, draft, inserting: false, self.sealer)
            return (draft, result)
        }
    }

    /// The idle sweep: removes the personal data of every draft untouched since
    /// `idleBefore` (the citizen walked away) and deletes drafts past their resume window.
    /// Returns how many of each.
    public func sweepDrafts(idleBefore: Date, now: Date) async throws -> (purged: Int, deleted: Int) {
        try await write { db in
            let idle = try String.fetchAll(db, sql: """
                SELECT body FROM dossierDraft WHERE purged = 0 AND lastActivity <= ?
                """, arguments: [idleBefore.storedText])
            for body in idle {
                let draft = try DossierJSON.open(DossierDraft.self, body, self.sealer)
                try db.execute(
                    sql: "UPDATE dossierDraft SET body = ?, purged = 1 WHERE code = ?",
                    arguments: [try DossierJSON.sealed(draft.purgedPersonalData(), self.sealer), draft.code.compact]
                )
            }
            try db.execute(sql: "DELETE FROM dossierDraft WHERE resumableUntil <= ?", arguments: [now.storedText])
            return (idle.count, db.changesCount)
        }
    }

    private static func draft(_ db: Database, code: DraftCode, _ sealer: PersonalDataSealer) throws -> DossierDraft? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT body FROM dossierDraft WHERE code = ?"), arguments: [code.compact])
            .map { try DossierJSON.open(DossierDraft.self, $0, sealer) }
    }

    private static func save(_ db: Database, _ draft: DossierDraft, inserting: Bool, _ sealer: PersonalDataSealer) throws {
        let sql = inserting
            ? "INSERT INTO dossierDraft (body, lastActivity, resumableUntil, purged, code) VALUES (?, ?, ?, 0, ?)"
            // A changed draft has been touched: whatever it holds now is fresh.
            : "UPDATE dossierDraft SET body = ?, lastActivity = ?, resumableUntil = ?, purged = 0 WHERE code = ?"
        try db.cachedStatement(sql: sql).execute(arguments: [
            try DossierJSON.sealed(draft, sealer), draft.lastActivity.storedText, draft.resumableUntil.storedText, draft.code.compact,
        ])
    }
}

// MARK: Dossiers

extension Store {
    /// Turns a draft at its last step into a dossier, in one transaction: the next number
    /// of the code's sequence, the wizard's last checks, the ticket ("submit now", with the
    /// citizen's priority) or the booking ("book a slot", under every booking rule), the
    /// dossier, its event, and the draft deleted. Any refusal leaves all of it undone, so
    /// no sequence number is spent on a dossier that does not exist.
    public func finishDossier(
        draftCode: DraftCode, wizard: DossierWizard, submission: DossierSubmission, priority: PriorityCategory?,
        booking choice: DossierBooking?, now: Date
    ) async throws -> FinishedDossier {
        try await writeShared { db in
            guard let draft = try Self.draft(db, code: draftCode, self.sealer) else { throw DossierRefusal.draftNotFound }
            let today = LocalDate(now, in: wizard.timeZone)
            let sequence = try Self.nextNumber(db, scope: "code", period: wizard.codePattern.restartsDaily ? today.iso : "all")
            let dossier = try wizard.finish(draft, submission: submission, sequence: sequence, now: now)
            var ticket: Ticket?
            var booking: (id: Int64?, booking: Booking)?
            switch (submission, choice) {
            case (.submitNow, _):
                ticket = try Self.issue(db, serviceId: dossier.serviceId, priority: priority, booking: nil, now: now, timeZone: wizard.timeZone)
            case (.bookSlot, nil):
                throw DossierRefusal.slotRequired
            case (.bookSlot, .slot(let slot)?):
                let serviceId = try String.fetchOne(db, sql: "SELECT serviceId FROM slot WHERE id = ?", arguments: [slot.slotId])
                guard serviceId == nil || serviceId == dossier.serviceId else { throw DossierRefusal.slotOfAnotherService }
                let made = try Self.book(
                    db, slotId: slot.slotId, citizen: dossier.applicant.citizen, sealer: self.sealer, rules: slot.rules, now: now,
                    timeZone: wizard.timeZone, codes: self.bookingCodes
                )
                booking = (made.id, made.booking)
            case (.bookSlot, .madeAtCentre(let made)?):
                guard made.serviceId == dossier.serviceId else { throw DossierRefusal.slotOfAnotherService }
                booking = (nil, made)
            }
            let row = DossierRow(
                code: dossier.code, draftCode: draft.code.compact, day: today.iso, procedureCode: dossier.procedureCode,
                serviceId: dossier.serviceId, status: .prepared, body: try DossierJSON.sealed(dossier, self.sealer), ticketId: ticket?.id,
                bookingId: booking?.id, bookingCode: booking?.booking.code.compact, autofilled: dossier.autofill.autofilled, filled: dossier.autofill.filled,
                receivedAt: nil, expectedReturnDate: dossier.expectedReturnDate?.iso, registerNumber: nil, officer: nil,
                decision: nil, updatedAt: now, applicantHash: self.sealer.matchingHash(dossier.applicant.citizen.idNumber)
            )
            try row.insert(db)
            try db.execute(sql: "DELETE FROM dossierDraft WHERE code = ?", arguments: [draft.code.compact])
            try db.appendEvent("dossier.prepared", row.event, at: now)
            return FinishedDossier(record: try row.record(db, self.sealer), ticket: ticket, booking: booking?.booking)
        }
    }

    /// The dossier with this code (mã hồ sơ), or with this draft code: the short code the
    /// citizen was given at the kiosk also looks the dossier up.
    public func dossier(code typed: String) async throws -> DossierRecord? {
        try await read { db in try Self.dossierRow(db, code: typed)?.record(db, self.sealer) }
    }

    /// The dossier of a called ticket: submitted with it, or booked and checked in with it.
    public func dossier(ticketId: Int64) async throws -> DossierRecord? {
        try await read { db in
            let row = try DossierRow.fetchOne(db, sql: """
                SELECT * FROM dossier WHERE ticketId = ?
                UNION ALL
                SELECT dossier.* FROM dossier JOIN ticket ON ticket.bookingCode = dossier.bookingCode WHERE ticket.id = ?
                LIMIT 1
                """, arguments: [ticketId, ticketId])
            return try row?.record(db, self.sealer)
        }
    }

    /// Records the counter's decision and its event, if the dossier's status allows it. A
    /// received dossier takes the next number of the year's receipt register.
    public func decide(_ decision: CounterDecision, dossier code: String, officer: String, now: Date, timeZone: TimeZone) async throws -> DossierRecord {
        try await write { db in
            guard var row = try Self.dossierRow(db, code: code) else { throw DossierRefusal.dossierNotFound }
            guard row.status.next.contains(decision.status) else { throw DossierRefusal.wrongStatus(row.status) }
            row.status = decision.status
            row.officer = officer
            row.updatedAt = now
            switch decision {
            case .receive(let expectedReturnDate):
                row.receivedAt = now
                row.expectedReturnDate = expectedReturnDate.iso
                row.registerNumber = try Self.nextNumber(db, scope: "register", period: String(LocalDate(now, in: timeZone).year))
                row.decision = nil
            case .supplement(let reason, let documents):
                row.decision = try DossierJSON.text(DossierRecord.StoredDecision(reason: reason, documents: documents))
            case .refuse(let reason):
                row.decision = try DossierJSON.text(DossierRecord.StoredDecision(reason: reason, documents: []))
            }
            try row.update(db)
            try db.appendEvent("dossier.\(row.status.rawValue)", row.event, at: now)
            return try row.record(db, self.sealer)
        }
    }

    /// Dossiers prepared on the site's days `from` through `to`, by status, and how much of
    /// their e-forms the ID card filled.
    public func dossierStatistics(from: LocalDate, to: LocalDate) async throws -> DossierStatistics {
        try await read { db in
            var byStatus: [DossierStatus: Int] = [:]
            var autofilled = 0
            var filled = 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT status, count(*) AS n, sum(autofilled) AS autofilled, sum(filled) AS filled
                FROM dossier WHERE day BETWEEN ? AND ? GROUP BY status
                """, arguments: [from.iso, to.iso])
            for row in rows {
                guard let status = DossierStatus(rawValue: row["status"]) else { continue }
                byStatus[status] = row["n"]
                autofilled += row["autofilled"] as Int
                filled += row["filled"] as Int
            }
            return DossierStatistics(byStatus: byStatus, autofill: AutofillShare(autofilled: autofilled, filled: filled))
        }
    }

    private static func dossierRow(_ db: Database, code typed: String) throws -> DossierRow? {
        if let row = try DossierRow.fetchOne(db, key: typed) { return row }
        guard let draftCode = DraftCode(parsing: typed) else { return nil }
        return try DossierRow.filter(Column("draftCode") == draftCode.compact).fetchOne(db)
    }

    /// The next number of a sequence that must never repeat, taken in the caller's transaction.
    private static func nextNumber(_ db: Database, scope: String, period: String) throws -> Int {
        guard let number = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO dossierSequence (scope, period, last) VALUES (?, ?, 1)
            ON CONFLICT (scope, period) DO UPDATE SET last = last + 1
            RETURNING last
            """), arguments: [scope, period]) else { throw DatabaseError(message: "no sequence number returned") }
        return number
    }
}

/// Dossiers of a period for the manager's report.
public struct DossierStatistics: Sendable, Equatable {
    public let byStatus: [DossierStatus: Int]
    /// Summed over the period's dossiers: the share the provinces report.
    public let autofill: AutofillShare

    public var total: Int { byStatus.values.reduce(0, +) }
}
