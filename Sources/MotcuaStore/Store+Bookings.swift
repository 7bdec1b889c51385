import Foundation
import GRDB
import MotcuaCore

struct BookingRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "booking"
    var id: Int64?
    var code: String
    var slotId: Int64
    var serviceId: String
    var day: String
    var fullName: String
    /// The ID number's keyed hash: all the booking rules need is to match it.
    var idHash: String
    /// The ID number sealed; nil once erased (or, before start-up sealed it, still plain in `idHash`).
    var idNumberSealed: String?
    /// Sealed.
    var phone: String
    var status: Booking.Status
    var needsContact: Bool
    var createdAt: Date
    var updatedAt: Date
    var siteId: String?

    func booking(in slot: Slot, _ sealer: PersonalDataSealer) throws -> Booking {
        guard let code = BookingCode(compact: code) else { throw DatabaseError(message: "corrupt booking code in row \(id ?? 0)") }
        return Booking(
            code: code, slotId: slotId, serviceId: serviceId, start: slot.start, end: slot.end,
            citizen: try citizen(sealer),
            status: status, createdAt: createdAt, needsContact: needsContact, siteId: siteId
        )
    }

    func citizen(_ sealer: PersonalDataSealer) throws -> Citizen {
        Citizen(
            fullName: fullName,
            idNumber: try idNumberSealed.map(sealer.open) ?? "",
            phone: sealer.isSealed(phone) ? try sealer.open(phone) : phone
        )
    }

    /// Every booking of the person whose ID number hashes to `idHash`, read through the two
    /// partial indexes that together hold every row (migration v18): one over the bookings
    /// holding a place, one over the rest. A plain `idHash = ?` would scan the table.
    static func ofPerson(_ idHash: String) -> QueryInterfaceRequest<BookingRow> {
        filter(sql: """
            (idHash = ? AND status IN ('booked', 'checked_in')) OR (idHash = ? AND status NOT IN ('booked', 'checked_in'))
            """, arguments: [idHash, idHash])
    }
}

/// How this database's booking codes are made and read (migration v20): from the first
/// derived id on, a booking's code is its id under the database's `BookingCodeCipher`;
/// bookings from before keep the random codes they were given.
struct BookingCodes: Sendable {
    let cipher: BookingCodeCipher
    let firstDerivedId: Int64

    static func load(_ db: Database) throws -> BookingCodes {
        guard let row = try Row.fetchOne(db, sql: "SELECT key, firstDerivedId FROM bookingCodeKey"),
              let cipher = BookingCodeCipher(key: [UInt8](row["key"] as Data)) else {
            throw DatabaseError(message: "the booking code key is missing or not 16 bytes")
        }
        return BookingCodes(cipher: cipher, firstDerivedId: row["firstDerivedId"])
    }

    /// The booking with `code`, derived or random.
    func row(_ db: Database, code: BookingCode) throws -> BookingRow? {
        let number = cipher.number(of: code)
        if number >= firstDerivedId,
           let row = try BookingRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM booking WHERE id = ?"), arguments: [Int64(number)]),
           row.code == code.compact {
            return row
        }
        guard firstDerivedId > 1 else { return nil }
        return try BookingRow.fetchOne(db.cachedStatement(sql: randomCodeLookup), arguments: [code.compact])
    }

    /// The next booking's id and code. A booking from before v20 may hold that code by
    /// chance (about one in six million per booking for every hundred thousand of them):
    /// its id is then skipped.
    func next(_ db: Database) throws -> (id: Int64, code: BookingCode) {
        var id = max(try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) + 1 FROM booking")) ?? 1, firstDerivedId)
        while true {
            let code = cipher.code(for: UInt64(id))
            guard firstDerivedId > 1, try Row.fetchOne(db.cachedStatement(sql: randomCodeLookup), arguments: [code.compact]) != nil else {
                return (id, code)
            }
            id += 1
        }
    }

    /// Names the condition of the index over random codes, so SQLite reads it.
    private var randomCodeLookup: String { "SELECT * FROM booking WHERE code = ? AND id < \(firstDerivedId)" }
}

/// What a new booking stores of its citizen, sealed and hashed, and its time as stored.
private struct BookingPerson: Sendable {
    let citizen: Citizen
    let idHash: String
    let idNumberSealed: String
    let phoneSealed: String
    let now: String

    init(_ citizen: Citizen, _ sealer: PersonalDataSealer, now: Date) throws {
        self.citizen = citizen
        idHash = sealer.matchingHash(citizen.idNumber)
        idNumberSealed = try sealer.seal(citizen.idNumber)
        phoneSealed = try sealer.seal(citizen.phone)
        self.now = now.storedText
    }
}

extension Store {
    /// Takes one place in a slot for a citizen, or says why not. The rules are checked and the
    /// place is taken in one write transaction, so concurrent bookings can never overfill a
    /// slot: SQLite runs one writer at a time and `booked < capacity` is re-checked by the
    /// UPDATE that takes the place. Concurrent bookings share a transaction (group commit),
    /// so every booking still sees the ones before it. The statements are prepared once per
    /// connection: this is the hottest write.
    public func book(
        slotId: Int64, citizen: Citizen, siteId: String? = nil, rules: BookingRules, now: Date, timeZone: TimeZone
    ) async throws -> Booking {
        // Sealed and hashed before the write: that work needs no database, and the one writer
        // is what concurrent bookings wait for.
        let person = try BookingPerson(citizen, sealer, now: now)
        let codes = bookingCodes
        return try await writeShared { db in
            try Self.book(db, slotId: slotId, person: person, siteId: siteId, rules: rules, now: now, timeZone: timeZone, codes: codes)
                .booking
        }
    }

    /// `book` inside the caller's transaction (a dossier booked at the kiosk takes its slot
    /// with the dossier). Returns the booking's row id too.
    static func book(
        _ db: Database, slotId: Int64, citizen: Citizen, sealer: PersonalDataSealer, siteId: String? = nil, rules: BookingRules,
        now: Date, timeZone: TimeZone, codes: BookingCodes
    ) throws -> (id: Int64, booking: Booking) {
        try book(
            db, slotId: slotId, person: try BookingPerson(citizen, sealer, now: now), siteId: siteId, rules: rules, now: now,
            timeZone: timeZone, codes: codes
        )
    }

    private static func book(
        _ db: Database, slotId: Int64, person: BookingPerson, siteId: String?, rules: BookingRules, now: Date, timeZone: TimeZone,
        codes: BookingCodes
    ) throws -> (id: Int64, booking: Booking) {
        guard let slot = try Self.slot(db, id: slotId) else { throw BookingRefusal.slotNotFound }
        try rules.checkTiming(slotStart: slot.start, now: now)
        let day = LocalDate(slot.start, in: timeZone).iso
        try Self.checkPerson(db, idHash: person.idHash, serviceId: slot.serviceId, day: day, rules: rules, now: person.now, ignoring: nil)
        try Self.takePlace(db, in: slot)
        let (id, code) = try codes.next(db)
        try db.cachedStatement(sql: """
            INSERT INTO booking (id, code, slotId, serviceId, day, fullName, idHash, idNumberSealed, phone, status, needsContact, createdAt, updatedAt, siteId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', 0, ?, ?, ?)
            """).execute(arguments: [
                id, code.compact, slot.id, slot.serviceId, day, person.citizen.fullName, person.idHash, person.idNumberSealed,
                person.phoneSealed, person.now, person.now, siteId,
            ])
        // The citizen as given, not opened back from what was just sealed: the same values.
        let booking = Booking(
            code: code, slotId: slot.id, serviceId: slot.serviceId, start: slot.start, end: slot.end, citizen: person.citizen,
            status: .booked, createdAt: now, needsContact: false, siteId: siteId
        )
        return (id, booking)
    }

    public func booking(code: BookingCode) async throws -> Booking? {
        try await read { db in
            guard let row = try self.bookingCodes.row(db, code: code),
                  let slot = try Slot.fetchOne(db, key: row.slotId) else { return nil }
            return try row.booking(in: slot, self.sealer)
        }
    }

    /// Releases a booking's place, unless the cut-off before its start has passed.
    public func cancelBooking(code: BookingCode, rules: BookingRules, now: Date) async throws -> Booking {
        try await write { db in
            var (row, slot) = try Self.activeBooking(db, code: code, self.bookingCodes)
            try rules.checkCutoff(bookingStart: slot.start, now: now)
            try Self.releasePlace(db, in: slot.id)
            row.status = .cancelled
            row.updatedAt = now
            try row.update(db)
            return try row.booking(in: slot, self.sealer)
        }
    }

    /// Moves a booking to another slot in one transaction: the new place is taken and the old
    /// one released together, so the citizen never holds two places and never holds none.
    public func rescheduleBooking(
        code: BookingCode, toSlot slotId: Int64, rules: BookingRules, now: Date, timeZone: TimeZone
    ) async throws -> Booking {
        try await write { db in
            var (row, current) = try Self.activeBooking(db, code: code, self.bookingCodes)
            try rules.checkCutoff(bookingStart: current.start, now: now)
            guard let target = try Self.slot(db, id: slotId) else { throw BookingRefusal.slotNotFound }
            guard target.id != current.id else { return try row.booking(in: current, self.sealer) }
            try rules.checkTiming(slotStart: target.start, now: now)
            let day = LocalDate(target.start, in: timeZone).iso
            try Self.checkPerson(
                db, idHash: row.idHash, serviceId: target.serviceId, day: day, rules: rules, now: now.storedText, ignoring: row.id
            )
            try Self.takePlace(db, in: target)
            try Self.releasePlace(db, in: current.id)
            row.slotId = target.id
            row.serviceId = target.serviceId
            row.day = day
            row.updatedAt = now
            try row.update(db)
            return try row.booking(in: target, self.sealer)
        }
    }

    /// The booking behind `code` if it still holds a place that can change (booked).
    private static func activeBooking(_ db: Database, code: BookingCode, _ codes: BookingCodes) throws -> (BookingRow, Slot) {
        guard let row = try codes.row(db, code: code),
              let slot = try Slot.fetchOne(db, key: row.slotId) else { throw BookingRefusal.bookingNotFound }
        guard row.status == .booked else { throw BookingRefusal.notActive }
        return (row, slot)
    }

    /// One active booking per person, service and day; a cap on future bookings per person.
    private static func checkPerson(
        _ db: Database, idHash: String, serviceId: String, day: String, rules: BookingRules, now: String, ignoring bookingId: Int64?
    ) throws {
        // One statement for both rules: each booking runs it on the single writer.
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT
                EXISTS (SELECT 1 FROM booking
                        WHERE idHash = ?1 AND serviceId = ?2 AND day = ?3 AND status IN ('booked', 'checked_in') AND id IS NOT ?5),
                (SELECT count(*) FROM booking JOIN slot ON slot.id = booking.slotId
                 WHERE booking.idHash = ?1 AND booking.status = 'booked' AND slot.start > ?4 AND booking.id IS NOT ?5
                   -- names the partial index's condition, so SQLite reads it (migration v18)
                   AND booking.status IN ('booked', 'checked_in'))
            """), arguments: [idHash, serviceId, day, now, bookingId])
        let duplicate: Bool = row?[0] ?? false, future: Int = row?[1] ?? 0
        guard !duplicate else { throw BookingRefusal.duplicate }
        guard future < rules.maximumFutureBookings else { throw BookingRefusal.limitReached(maximum: rules.maximumFutureBookings) }
    }

    private static func takePlace(_ db: Database, in slot: Slot) throws {
        guard slot.capacity > 0 else { throw BookingRefusal.slotClosed }
        try db.cachedStatement(sql: "UPDATE slot SET booked = booked + 1 WHERE id = ? AND booked < capacity").execute(arguments: [slot.id])
        guard db.changesCount == 1 else { throw BookingRefusal.slotFull }
    }

    private static func slot(_ db: Database, id: Int64) throws -> Slot? {
        try Slot.fetchOne(db.cachedStatement(sql: "SELECT \(Slot.columns) FROM slot WHERE id = ?"), arguments: [id])
    }

    private static func releasePlace(_ db: Database, in slotId: Int64) throws {
        try db.cachedStatement(sql: "UPDATE slot SET booked = booked - 1 WHERE id = ? AND booked > 0").execute(arguments: [slotId])
    }
}

extension Store {
    /// Marks as no-show every booking still waiting when its slot ended more than
    /// `graceMinutes` ago. Its place stays taken: the slot has passed. Returns how many.
    public func markNoShows(graceMinutes: Int, now: Date) async throws -> Int {
        let endedBefore = now.addingTimeInterval(-TimeInterval(graceMinutes * 60))
        return try await write { db in
            try db.execute(sql: """
                UPDATE booking SET status = 'no_show', updatedAt = ?
                WHERE status = 'booked' AND slotId IN (SELECT id FROM slot WHERE "end" < ?)
                """, arguments: [now, endedBefore])
            return db.changesCount
        }
    }

    /// How many bookings a person did not turn up for.
    public func noShowCount(idNumber: String) async throws -> Int {
        try await read { db in
            try BookingRow.ofPerson(self.sealer.matchingHash(idNumber)).filter(Column("status") == Booking.Status.noShow.rawValue)
                .fetchCount(db)
        }
    }
}
