import Foundation
import GRDB
import MotcuaCore
import Testing
@testable import MotcuaStore

/// Drafts, dossiers and the counter's decisions on a real database with the demo catalog.
@Suite struct DossierStoreTests {
    /// Chứng thực chữ ký: a short e-form filled partly from the card, and a document asked
    /// only for papers in a foreign language.
    static let signature = "2.000884"
    static let card = "001203012345||Nguyễn Văn An|15032003|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021"
    static let otherCard = "079185012345|023456789|Trần Thị Bích Ngọc|02091985|Nữ|123/4 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|10072022"

    struct Site {
        let booking: BookingSite
        let wizard: DossierWizard
        var store: Store { booking.store }
        var now: Date { booking.now }

        static func make(pattern: DossierCodePattern = .standard) async throws -> Site {
            let booking = try await BookingSite.make()
            let wizard = DossierWizard(
                catalog: ProcedureCatalog(try await booking.store.procedures()), timeZone: saigon, agencyCode: "000.00.01.H26",
                codePattern: pattern, idleLimit: 120
            )
            return Site(booking: booking, wizard: wizard)
        }

        func start(at time: Date? = nil) async throws -> DraftCode {
            try await store.startDraft(wizard, now: time ?? now) {
                var generator = SystemRandomNumberGenerator()
                return DraftCode.random(using: &generator)
            }.code
        }

        /// A signature attestation draft walked to its last step, all documents ticked.
        func readyDraft(at time: Date? = nil, card: String = DossierStoreTests.card, foreignLanguage: Bool = false) async throws -> DraftCode {
            let code = try await start(at: time)
            let now = time ?? self.now
            let wizard = wizard
            _ = try await store.changeDraft(code: code) { draft in
                try wizard.chooseProcedure(DossierStoreTests.signature, in: &draft, now: now)
                try wizard.forward(&draft, now: now)
                try wizard.readIdentityCard(qr: card, in: &draft, now: now)
                try wizard.enterApplicant(ApplicantEntry(phone: "0912345678"), in: &draft, now: now)
                try wizard.forward(&draft, now: now)
                try wizard.answer(["documentTitle": "Hợp đồng mua bán xe", "foreignLanguage": foreignLanguage ? "yes" : "no"], in: &draft, now: now)
                try wizard.forward(&draft, now: now)
                for item in wizard.checklist(of: draft) { try wizard.tickDocument(at: item.index, ticked: true, in: &draft, now: now) }
                try wizard.forward(&draft, now: now)
                try wizard.forward(&draft, now: now)
            }
            return code
        }

        func finishNow(_ code: DraftCode, at time: Date? = nil) async throws -> FinishedDossier {
            try await store.finishDossier(draftCode: code, wizard: wizard, submission: .submitNow, priority: nil, booking: nil, now: time ?? now)
        }

        func count(_ table: String) async throws -> Int {
            try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
        }
    }

    @Test func submittingNowMakesTheDossierItsTicketAndItsEventAndDropsTheDraft() async throws {
        let site = try await Site.make()
        let code = try await site.readyDraft()

        let finished = try await site.finishNow(code)

        #expect(finished.record.dossier.code == "000.00.01.H26-270301-0001")
        #expect(finished.record.status == .prepared)
        #expect(finished.record.dossier.expectedReturnDate == LocalDate(year: 2027, month: 3, day: 1), "0 working days, before the cut-off")
        #expect(finished.record.dossier.autofill == AutofillShare(autofilled: 2, filled: 4))
        let ticket = try #require(finished.ticket)
        #expect(ticket.serviceId == "A" && ticket.number == "A001")
        #expect(finished.record.ticketId == ticket.id)
        #expect(try await site.store.draft(code: code) == nil)
        #expect(try await site.store.dossier(code: code.description)?.dossier.code == finished.record.dossier.code, "the draft code looks it up")
        let kinds = try await site.store.pendingEvents().map(\.kind)
        #expect(kinds == ["ticket.issued", "dossier.prepared"])
        let payload = try #require(try await site.store.pendingEvents().last?.payload)
        #expect(!payload.contains("Nguyễn") && !payload.contains("001203012345"), "events carry no personal data")
    }

    @Test func aRefusedFinishSpendsNoNumberAndKeepsTheDraft() async throws {
        let site = try await Site.make()
        let code = try await site.readyDraft(foreignLanguage: false)
        // Untick a required document at the review step's earlier screen.
        let wizard = site.wizard
        let now = site.now
        _ = try await site.store.changeDraft(code: code) { draft in
            try wizard.back(&draft, to: .documents, now: now)
            try wizard.tickDocument(at: 0, ticked: false, in: &draft, now: now)
            try wizard.forward(&draft, now: now)
            try wizard.forward(&draft, now: now)
        }

        await #expect(throws: FieldErrors.self) { try await site.finishNow(code) }
        let other = try await site.finishNow(try await site.readyDraft())

        #expect(other.record.dossier.code.hasSuffix("-0001"), "the refused finish took no number")
        #expect(try await site.store.draft(code: code)?.step == .finish)
        #expect(try await site.count("ticket") == 1)
    }

    @Test func concurrentFinishesNeverRepeatACode() async throws {
        let site = try await Site.make()
        var drafts: [DraftCode] = []
        for _ in 0..<40 { drafts.append(try await site.readyDraft()) }

        let finished = try await withThrowingTaskGroup(of: FinishedDossier.self) { group in
            for code in drafts { group.addTask { try await site.finishNow(code) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        let sequences = finished.map { Int($0.record.dossier.code.suffix(4))! }
        #expect(sequences.sorted() == Array(1...40))
        #expect(Set(finished.compactMap(\.ticket?.number)).count == 40)
        #expect(try await site.count("dossier") == 40)
        #expect(try await site.count("dossierDraft") == 0)
    }

    @Test func theSequenceRestartsDailyOnlyWhenTheCodeCarriesTheDate() async throws {
        let dated = try await Site.make()
        let undated = try await Site.make(pattern: try DossierCodePattern("HS-<sequence:5>"))
        let tomorrow = dated.now.addingTimeInterval(86_400)

        let datedCodes = [
            try await dated.finishNow(try await dated.readyDraft()).record.dossier.code,
            try await dated.finishNow(try await dated.readyDraft(at: tomorrow), at: tomorrow).record.dossier.code,
        ]
        let undatedCodes = [
            try await undated.finishNow(try await undated.readyDraft()).record.dossier.code,
            try await undated.finishNow(try await undated.readyDraft(at: tomorrow), at: tomorrow).record.dossier.code,
        ]

        #expect(datedCodes == ["000.00.01.H26-270301-0001", "000.00.01.H26-270302-0001"])
        #expect(undatedCodes == ["HS-00001", "HS-00002"])
    }

    @Test func bookingASlotTakesAPlaceAndAFullSlotUndoesEverything() async throws {
        let site = try await Site.make()
        let slot = try await site.booking.slot("A", day: 1)
        let choice = DossierSlotChoice(slotId: slot.id, rules: site.booking.rules)
        let first = try await site.readyDraft()

        let finished = try await site.store.finishDossier(
            draftCode: first, wizard: site.wizard, submission: .bookSlot, priority: nil, booking: .slot(choice), now: site.now
        )
        try await site.booking.setCapacity(slot, 1)
        let second = try await site.readyDraft(card: Self.otherCard)
        await #expect(throws: BookingRefusal.slotFull) {
            try await site.store.finishDossier(draftCode: second, wizard: site.wizard, submission: .bookSlot, priority: nil, booking: .slot(choice), now: site.now)
        }

        let booking = try #require(finished.booking)
        #expect(booking.slotId == slot.id && finished.ticket == nil)
        #expect(finished.record.bookingCode == booking.code)
        #expect(finished.record.dossier.expectedReturnDate == nil, "counted when received")
        #expect(try await site.count("dossier") == 1)
        #expect(try await site.store.draft(code: second) != nil)
        #expect(try await site.store.slots(serviceId: "A", from: slot.start, to: slot.end).first?.booked == 1)
    }

    @Test func aSlotOfAnotherServiceIsRefused() async throws {
        let site = try await Site.make()
        let slot = try await site.booking.slot("B", day: 1)
        let code = try await site.readyDraft()

        await #expect(throws: DossierRefusal.slotOfAnotherService) {
            try await site.store.finishDossier(
                draftCode: code, wizard: site.wizard, submission: .bookSlot, priority: nil,
                booking: .slot(DossierSlotChoice(slotId: slot.id, rules: site.booking.rules)),
                now: site.now
            )
        }
        #expect(try await site.count("booking") == 0)
    }

    @Test func aBookedDossierIsFoundFromTheTicketItsCheckInIssued() async throws {
        let site = try await Site.make()
        let slot = try await site.booking.slot("A", day: 0, hour: 9)
        let finished = try await site.store.finishDossier(
            draftCode: try await site.readyDraft(), wizard: site.wizard, submission: .bookSlot, priority: nil,
            booking: .slot(DossierSlotChoice(slotId: slot.id, rules: site.booking.rules)),
            now: site.now
        )
        let booking = try #require(finished.booking)

        let checkIn = try await site.store.checkIn(code: booking.code, policy: QueuePolicy(), now: slot.start.addingTimeInterval(-600), timeZone: saigon)

        #expect(try await site.store.dossier(ticketId: checkIn.ticket.id)?.dossier.code == finished.record.dossier.code)
        #expect(try await site.store.dossier(ticketId: checkIn.ticket.id + 1000) == nil)
    }

    @Test func theSweepRemovesPersonalDataOfIdleDraftsAndDeletesExpiredOnes() async throws {
        let site = try await Site.make()
        let idle = try await site.readyDraft(at: site.now.addingTimeInterval(-600))
        let busy = try await site.readyDraft()
        let expired = try await site.start(at: site.now.addingTimeInterval(-2 * 86_400))

        let swept = try await site.store.sweepDrafts(idleBefore: site.now.addingTimeInterval(-120), now: site.now)
        let again = try await site.store.sweepDrafts(idleBefore: site.now.addingTimeInterval(-120), now: site.now)

        #expect(swept.purged == 2 && swept.deleted == 1, "the idle one and the expired one were purged; the expired one deleted")
        #expect(again.purged == 0 && again.deleted == 0)
        let purged = try #require(try await site.store.draft(code: idle))
        #expect(purged.applicant == ApplicantEntry() && purged.identityCard == nil && purged.answers.isEmpty)
        #expect(purged.step == .finish && purged.procedureCode == Self.signature, "where it was is kept")
        let body = try await site.store.read { db in try String.fetchOne(db, sql: "SELECT body FROM dossierDraft WHERE code = ?", arguments: [idle.compact]) }
        #expect(body?.contains("Nguyễn") == false && body?.contains("001203012345") == false)
        #expect(try await site.store.draft(code: busy)?.applicant.fullName == "Nguyễn Văn An")
        #expect(try await site.store.draft(code: expired) == nil)
    }

    @Test func theCounterDecidesOnlyWhatTheStatusAllows() async throws {
        let site = try await Site.make()
        let first = try await site.finishNow(try await site.readyDraft()).record.dossier.code
        let second = try await site.finishNow(try await site.readyDraft()).record.dossier.code
        let due = LocalDate(year: 2027, month: 3, day: 2)!
        let later = site.now.addingTimeInterval(900)

        let supplement = try CounterDecision.supplement(
            reason: "Thiếu bản chính", documents: [.init(name: "Giấy tờ tùy thân", note: "bản chính")]
        ).get()
        let asked = try await site.store.decide(supplement, dossier: first, officer: "Trần Văn Đức", now: site.now, timeZone: saigon)
        let received = try await site.store.decide(.receive(expectedReturnDate: due), dossier: first, officer: "Trần Văn Đức", now: later, timeZone: saigon)
        let receivedToo = try await site.store.decide(.receive(expectedReturnDate: due), dossier: second, officer: "Lê Thị Hoa", now: later, timeZone: saigon)
        await #expect(throws: DossierRefusal.wrongStatus(.received)) {
            try await site.store.decide(try CounterDecision.refusal(reason: "Không thuộc thẩm quyền").get(), dossier: first, officer: "x", now: later, timeZone: saigon)
        }
        await #expect(throws: DossierRefusal.dossierNotFound) {
            try await site.store.decide(.receive(expectedReturnDate: due), dossier: "000.00.01.H26-270301-9999", officer: "x", now: later, timeZone: saigon)
        }

        #expect(asked.status == .supplementRequested && asked.decision?.documents.first?.name == "Giấy tờ tùy thân")
        #expect(received.status == .received && received.receivedAt == later && received.expectedReturnDate == due)
        #expect([received.registerNumber, receivedToo.registerNumber] == [1, 2])
        let kinds = try await site.store.pendingEvents().map(\.kind).filter { $0.hasPrefix("dossier.") }
        #expect(kinds == ["dossier.prepared", "dossier.prepared", "dossier.supplement_requested", "dossier.received", "dossier.received"])
        let statistics = try await site.store.dossierStatistics(from: site.booking.today, to: site.booking.today)
        #expect(statistics.byStatus == [.received: 2] && statistics.autofill == AutofillShare(autofilled: 4, filled: 8))
    }
}
