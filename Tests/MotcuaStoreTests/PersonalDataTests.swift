import Crypto
import Foundation
import GRDB
import MotcuaCore
import Testing
@testable import MotcuaStore

/// ID and phone numbers at rest, their keys' rotation, retention, and one person's export
/// and erasure, on real databases read back byte by byte.
@Suite struct PersonalDataTests {
    /// The applicant of `DossierStoreTests.card`, booking a slot too.
    let person = citizen(12_345)

    /// A booking and a dossier of `person`, and another citizen's booking.
    func siteWithAPerson() async throws -> (site: DossierStoreTests.Site, booking: Booking, dossier: FinishedDossier) {
        let site = try await DossierStoreTests.Site.make()
        let booking = try await site.booking.book(try await site.booking.slot("A", day: 1, hour: 9), person)
        _ = try await site.booking.book(try await site.booking.slot("A", day: 1, hour: 9), citizen(2))
        let dossier = try await site.finishNow(try await site.readyDraft())
        return (site, booking, dossier)
    }

    /// Every byte of the database, its WAL included.
    func fileBytes(of store: Store) -> Data {
        let path = store.pool.path
        return [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
    }

    @Test func sealingRoundTripsAndRefusesWhatWasTamperedWithOrSealedUnderAnUnknownKey() throws {
        let old = SymmetricKey(size: .bits256)
        let current = SymmetricKey(size: .bits256)
        let before = PersonalDataSealer(current: old)
        let rotated = PersonalDataSealer(current: current, previous: [old])
        let stranger = PersonalDataSealer(current: SymmetricKey(size: .bits256))

        let sealed = try before.seal("001203012345")
        let again = try before.seal("001203012345")
        var tampered = Array(sealed)
        tampered[tampered.count - 6] = tampered[tampered.count - 6] == "A" ? "B" : "A"

        #expect(sealed != again, "a fresh nonce each time: equal numbers do not look equal")
        #expect(!sealed.contains("001203012345"))
        #expect(try before.open(sealed) == "001203012345")
        #expect(try rotated.open(sealed) == "001203012345", "a previous key still opens")
        let sealedNow = try rotated.seal("x")
        #expect(!rotated.isCurrent(sealed) && rotated.isCurrent(sealedNow))
        #expect(throws: PersonalDataSealer.Failure.corrupt) { try before.open(String(tampered)) }
        #expect(throws: PersonalDataSealer.Failure.unknownKey(before.keyId)) { try stranger.open(sealed) }
        #expect(before.matchingHash("001203012345") == before.matchingHash("001203012345"))
        #expect(before.matchingHash("001203012345") != rotated.matchingHash("001203012345"), "each key hashes apart")
        #expect(before.matchingHash("001203012345").count == 64)
    }

    /// Hashes and key ids already on disk must keep matching: pinned to the keyed hash and
    /// the formatting they were first written with.
    @Test func hashesAndKeyIdsAreWrittenAsBefore() throws {
        let key = SymmetricKey(data: Data((0..<32).map { UInt8($0) }))
        let sealer = PersonalDataSealer(current: key)
        let matching = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("motcua personal data matching".utf8), outputByteCount: 32)
        let expected = HMAC<SHA256>.authenticationCode(for: Data("001203012345".utf8), using: matching).map { String(format: "%02x", $0) }.joined()
        #expect(sealer.matchingHash("001203012345") == expected)
        let keyId = SHA256.hash(data: Data("motcua key id".utf8) + Data((0..<32).map { UInt8($0) })).prefix(4)
            .map { String(format: "%02x", $0) }.joined()
        #expect(sealer.keyId == keyId)
    }

    @Test func noIDOrPhoneNumberIsWrittenInTheClear() async throws {
        let (site, booking, dossier) = try await siteWithAPerson()

        let bytes = fileBytes(of: site.store)
        let read = try await site.store.booking(code: booking.code)

        for secret in [person.idNumber, person.phone, "0912345678", citizen(2).idNumber] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is readable in the database file")
        }
        #expect(read?.citizen == person, "and it all reads back")
        #expect(try await site.store.dossier(code: dossier.record.dossier.code)?.dossier.applicant.citizen.idNumber == person.idNumber)
    }

    @Test func aRotatedKeySealsEverythingAnewAtStartAndTheRulesStillMatch() async throws {
        let (site, booking, dossier) = try await siteWithAPerson()
        let path = site.store.pool.path
        try site.store.close()
        let newKey = SymmetricKey(size: .bits256)

        // First start with the new key and the old one kept for reading.
        let rotating = try Store(path: path, sealer: PersonalDataSealer(current: newKey, previous: [SymmetricKey(data: Data(repeating: 7, count: 32))]))
        let resealed = try await rotating.resealPersonalData()
        let again = try await rotating.resealPersonalData()
        try rotating.close()
        // Then the old key is gone for good.
        let store = try Store(path: path, sealer: PersonalDataSealer(current: newKey))

        #expect(resealed == 3 && again == 0, "two bookings and a dossier, once")
        #expect(try await store.booking(code: booking.code)?.citizen == person)
        #expect(try await store.dossier(code: dossier.record.dossier.code)?.dossier.applicant.citizen.phone == "0912345678")
        let slot = try await BookingSite(store: store).slot("A", day: 1, hour: 14)
        await #expect(throws: BookingRefusal.duplicate, "the person is still recognised under the new key") {
            _ = try await BookingSite(store: store).book(slot, person)
        }
    }

    @Test func valuesWrittenBeforeSealingAreSealedAtStart() async throws {
        let site = try await BookingSite.make()
        let slot = try await site.slot("B", hour: 10)
        // A booking as the store wrote it before sealing: the number itself in the hash column.
        let code = site.store.bookingCodes.cipher.code(for: 1)
        try await site.store.write { db in
            try db.execute(sql: """
                INSERT INTO booking (id, code, slotId, serviceId, day, fullName, idHash, phone, status, createdAt, updatedAt)
                VALUES (1, ?, ?, 'B', '2027-03-01', 'Nguyễn Văn An', '001203012345', '0912345678', 'booked', ?, ?)
                """, arguments: [code.compact, slot.id, site.now, site.now])
        }

        let sealed = try await site.store.resealPersonalData()

        let row = try await site.store.read { db in
            try String.fetchAll(db, sql: "SELECT idHash FROM booking UNION ALL SELECT idNumberSealed FROM booking UNION ALL SELECT phone FROM booking")
        }
        #expect(sealed == 1)
        #expect(row.count == 3 && row[0] == site.store.sealer.matchingHash("001203012345"))
        #expect(row.dropFirst().allSatisfy { $0.hasPrefix("pd1.") })
        #expect(try await site.store.booking(code: code)?.citizen.phone == "0912345678")
    }

    @Test func retentionErasesThePersonAndKeepsTheRows() async throws {
        let (site, booking, dossier) = try await siteWithAPerson()
        let slotEnd = booking.end
        _ = try await site.store.markNoShows(graceMinutes: 0, now: slotEnd.addingTimeInterval(60))
        try await site.store.logPersonalDataRead(subjects: ["dossier:x"], actor: "officer:canbo", now: site.now)
        var retention = RetentionPolicy()
        retention.bookingDays = 30
        retention.dossierDays = 60
        retention.accessLogDays = 45

        let early = try await site.store.purgePersonalData(retention: retention, now: slotEnd.addingTimeInterval(29 * 86_400))
        let late = try await site.store.purgePersonalData(retention: retention, now: site.now.addingTimeInterval(61 * 86_400))

        #expect(early.isEmpty)
        #expect(late == PurgeCounts(bookings: 2, dossiers: 1, accessLogEntries: 1))
        let erased = try #require(try await site.store.booking(code: booking.code))
        #expect(erased.citizen == Citizen(fullName: "", idNumber: "", phone: "") && erased.status == .noShow)
        let kept = try #require(try await site.store.dossier(code: dossier.record.dossier.code))
        #expect(kept.dossier.applicant.citizen.idNumber.isEmpty && kept.dossier.answers.isEmpty)
        #expect(kept.dossier.procedureCode == DossierStoreTests.signature && kept.status == dossier.record.status)
    }

    @Test func aPersonIsExportedThenErasedAndBothAreLoggedWithoutTheirNumber() async throws {
        let (site, booking, dossier) = try await siteWithAPerson()
        let slot = try await site.booking.slot("A", day: 1, hour: 9)

        let export = try await site.store.personRecords(idNumber: person.idNumber, actor: "manager:quanly", now: site.now)
        let erased = try await site.store.erasePerson(idNumber: person.idNumber, actor: "manager:quanly", now: site.now)
        let afterwards = try await site.store.personRecords(idNumber: person.idNumber, actor: "manager:quanly", now: site.now)

        #expect(export.bookings.map(\.code) == [booking.code] && export.bookings[0].citizen == person)
        #expect(export.dossiers.map(\.dossier.code) == [dossier.record.dossier.code])
        #expect(erased == (1, 1))
        #expect(afterwards.bookings.isEmpty && afterwards.dossiers.isEmpty)
        #expect(try await site.store.booking(code: booking.code)?.status == .cancelled, "the coming booking gave its place back")
        #expect(try await site.booking.reloaded(slot).booked == 1, "the other citizen's place stays")
        let log = try await site.store.personalDataAccess(from: site.now, to: site.now.addingTimeInterval(1))
        #expect(log.map(\.action) == [.export, .erase, .export])
        #expect(log.allSatisfy { $0.actor == "manager:quanly" && $0.subject.hasPrefix("person:") && !$0.subject.contains(person.idNumber) })
    }

    /// A person's bookings live in two partial indexes split by whether they hold a place
    /// (migration v18): whatever the status, the export and the no-show count find them, and
    /// they are looked up through those indexes, never by reading the whole table.
    @Test func aPersonsBookingsAreFoundInEveryStatusWithoutAScan() async throws {
        let site = try await DossierStoreTests.Site.make()
        var codes: [String: BookingCode] = [:]
        // Tuesday to Friday and the Monday after: working days.
        for (day, status) in zip([1, 2, 3, 4, 7], ["booked", "checked_in", "cancelled", "no_show", "displaced"]) {
            let booking = try await site.booking.book(try await site.booking.slot("A", day: day, hour: 9), person)
            try await site.store.write { db in
                try db.execute(sql: "UPDATE booking SET status = ? WHERE code = ?", arguments: [status, booking.code.compact])
            }
            codes[status] = booking.code
        }
        _ = try await site.booking.book(try await site.booking.slot("A", day: 1, hour: 10), citizen(2))

        let export = try await site.store.personRecords(idNumber: person.idNumber, actor: "manager:quanly", now: site.now)
        let noShows = try await site.store.noShowCount(idNumber: person.idNumber)
        let plans = try await site.store.read { db in
            let hash = site.store.sealer.matchingHash(self.person.idNumber)
            return try [BookingRow.ofPerson(hash), BookingRow.ofPerson(hash).filter(Column("status") == "no_show")].map { request in
                let statement = try request.makePreparedRequest(db).statement
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }

        #expect(Set(export.bookings.map(\.code)) == Set(codes.values))
        #expect(Dictionary(uniqueKeysWithValues: export.bookings.map { ($0.code, $0.status.rawValue) }) == codes.reduce(into: [:]) { $0[$1.value] = $1.key })
        #expect(noShows == 1)
        for plan in plans {
            #expect(plan.contains("booking_active_per_person_day") && plan.contains("booking_person_past") && !plan.contains("SCAN booking"), "\(plan)")
        }
    }
}
