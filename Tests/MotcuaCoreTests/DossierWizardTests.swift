import Foundation
import Testing
@testable import MotcuaCore

private typealias F = DossierFixtures
private let wizard = F.wizard

/// The codes of a refused change as `field: code`; empty when it went through.
private func refusal(_ change: () throws -> Void) -> [String] {
    do {
        try change()
        return []
    } catch let error as FieldErrors {
        return error.errors.map { "\($0.field): \($0.code)" }
    } catch {
        return ["not FieldErrors: \(error)"]
    }
}

private func checklistNames(_ draft: DossierDraft) -> [String] {
    wizard.checklist(of: draft).map(\.document.name)
}

/// A birth registration draft walked to its e-form with the man's card and a phone, at `now`.
private func birthDraftAtEForm(_ now: Date) throws -> DossierDraft {
    var draft = wizard.start(code: F.code, now: now)
    try wizard.chooseProcedure("1.001193", in: &draft, now: now)
    try wizard.forward(&draft, now: now)
    try wizard.readIdentityCard(qr: F.manCard, in: &draft, now: now)
    try wizard.enterApplicant(ApplicantEntry(phone: "0912 345 678"), in: &draft, now: now)
    try wizard.forward(&draft, now: now)
    return draft
}

private let childAnswers = [
    "childName": "Nguyễn Minh Khôi", "childBirthDate": "20/04/2026", "childGender": "male",
    "birthCase": "ordinary", "authorised": "no", "copies": "2",
]

@Suite struct DossierWalkTests {
    @Test func birthRegistrationFromTheCardToATicket() throws {
        // Friday before the Hùng Kings' holiday of 2026 (Sunday 26 April, made up on Monday 27).
        let now = F.at("2026-04-24T09:00:00+07:00")
        var draft = try birthDraftAtEForm(now)
        #expect(draft.step == .eform)

        try wizard.answer(childAnswers, in: &draft, now: now)
        #expect(try wizard.forward(&draft, now: now) == .documents)
        #expect(checklistNames(draft) == [
            "Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh", "Giấy tờ tùy thân của người đi đăng ký – xuất trình",
            "Giấy tờ chứng minh thông tin về cư trú – xuất trình",
        ])
        #expect(wizard.checklist(of: draft).map(\.isRequired) == [true, true, true, false])
        for index in [0, 1, 5] { try wizard.tickDocument(at: index, ticked: true, in: &draft, now: now) }
        #expect(try wizard.forward(&draft, now: now) == .review)
        #expect(try wizard.forward(&draft, now: now) == .finish)

        let dossier = try wizard.finish(draft, submission: .submitNow, sequence: 7, now: now)

        #expect(dossier.code == "000.00.01.H22-260424-0007")
        #expect(dossier.expectedReturnDate?.iso == "2026-04-28")
        #expect(dossier.procedureCode == "1.001193" && dossier.serviceId == "A" && dossier.submission == .submitNow)
        #expect(dossier.resultDelivery == .desk)
        #expect(dossier.documents.map(\.name) == checklistNames(draft))
        #expect(dossier.answers == [
            "requesterName": "Nguyễn Văn An", "requesterIdNumber": "001203012345",
            "requesterAddress": "Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội", "childName": "Nguyễn Minh Khôi",
            "childBirthDate": "2026-04-20", "childGender": "male", "birthCase": "ordinary", "authorised": "no", "copies": "2",
        ])
        #expect(dossier.applicant.citizen.phone == "0912345678" && dossier.applicant.fromIdentityCard)
        #expect(dossier.applicant.birthDate?.iso == "2003-03-15" && dossier.applicant.gender == .male)
        #expect(dossier.applicant.address == "Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội")
        #expect(dossier.autofill == AutofillShare(autofilled: 3, filled: 9))
    }

    @Test func marriageFromTheWomansCardIsMostlyFilledIn() throws {
        let now = F.at("2026-03-02T08:00:00+07:00")
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("1.000894", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.readIdentityCard(qr: F.womanCard, in: &draft, now: now)
        try wizard.enterApplicant(ApplicantEntry(phone: "0987654321"), in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.answer(["partnerName": "Lê Quang Huy", "partnerBirthDate": "1984-11-30", "partnerIdNumber": "048084000123"], in: &draft, now: now)
        try wizard.forward(&draft, now: now)

        let share = wizard.autofillShare(of: draft)

        #expect(draft.answers["applicantGender"] == "female" && draft.answers["applicantBirthDate"] == "1985-09-02")
        #expect(share == AutofillShare(autofilled: 5, filled: 8))
        #expect(share.fraction == 0.625)
    }

    @Test func permanentResidenceDueDateCountsPastTet() throws {
        // Friday 13 February 2026; Tết closes Monday 16 to Friday 20; seven working days.
        let now = F.at("2026-02-13T10:00:00+07:00")
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("1.004222", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.readIdentityCard(qr: F.manCard, in: &draft, now: now)
        try wizard.enterApplicant(ApplicantEntry(phone: "0912345678"), in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.answer(["newAddress": "Số 5 Lý Thái Tổ, Hà Nội", "residenceBasis": "rented", "householdHeadName": "Phạm Văn Bình"], in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        #expect(checklistNames(draft) == ["Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ"])
        try wizard.forward(&draft, now: now)
        try wizard.forward(&draft, now: now)

        let booked = try wizard.finish(draft, submission: .bookSlot, sequence: 1, now: now)
        let atSlot = F.permanentResidence.dueDate(receivedAt: F.at("2026-02-13T14:00:00+07:00"), calendar: wizard.calendar, timeZone: F.saigon)

        #expect(booked.submission == .bookSlot && booked.expectedReturnDate == nil)
        #expect(booked.code == "000.00.01.H22-260213-0001")
        #expect(atSlot.iso == "2026-03-03")
    }

    @Test func aCopyAskedForAfterThreeOnTheLastDayBeforeTetIsDueAfterIt() throws {
        // Same-day procedure with the 15:00 rule, received Friday 13 February 2026 at 16:00.
        let now = F.at("2026-02-13T16:00:00+07:00")
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("2.000635", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.readIdentityCard(qr: F.manCard, in: &draft, now: now)
        try wizard.enterApplicant(ApplicantEntry(phone: "0912345678"), in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.answer(["recordKind": "birth", "copies": "3", "authorised": "no"], in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        for index in [0, 2] { try wizard.tickDocument(at: index, ticked: true, in: &draft, now: now) }
        try wizard.forward(&draft, now: now)
        try wizard.forward(&draft, now: now)

        let dossier = try wizard.finish(draft, submission: .submitNow, sequence: 12, now: now)

        #expect(dossier.expectedReturnDate?.iso == "2026-02-23")
        #expect(dossier.code == "000.00.01.H22-260213-0012")
        #expect(dossier.autofill == AutofillShare(autofilled: 2, filled: 5))
    }

    @Test func aProcedureWithoutAnEFormSkipsThatStep() throws {
        let now = F.at("2026-03-02T08:00:00+07:00")
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("2.000815", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.enterApplicant(ApplicantEntry(fullName: "Lò Văn Páo", idNumber: "011090001234", phone: "0388123456"), in: &draft, now: now)

        #expect(try wizard.forward(&draft, now: now) == .documents)
        #expect(try wizard.back(&draft, now: now) == .applicant)
        #expect(wizard.autofillShare(of: draft).fraction == nil)
    }
}

@Suite struct DossierStepTests {
    let now = F.at("2026-03-02T08:00:00+07:00")

    @Test func backStepsKeepEveryAnswerAndTick() throws {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(childAnswers, in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.tickDocument(at: 1, ticked: true, in: &draft, now: now)
        let atDocuments = draft

        #expect(try wizard.back(&draft, now: now) == .eform)
        #expect(draft.answers == atDocuments.answers)
        #expect(try wizard.back(&draft, to: .procedure, now: now) == .procedure)
        #expect(draft.applicant == atDocuments.applicant && draft.answers == atDocuments.answers)
        for _ in 0..<3 { try wizard.forward(&draft, now: now) }

        #expect(draft.step == .documents)
        #expect(draft.answers == atDocuments.answers && draft.tickedDocuments == atDocuments.tickedDocuments)
        #expect(wizard.checklist(of: draft).filter(\.ticked).map(\.index) == [1])
    }

    @Test func aConditionalDocumentComesAndGoesWithItsAnswerAndKeepsItsTick() throws {
        var draft = try birthDraftAtEForm(now)
        let authorisation = "Văn bản ủy quyền (được chứng thực)"
        try wizard.answer(childAnswers.merging(["authorised": "yes", "authoriserName": "Nguyễn Thị Mai"]) { $1 }, in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        #expect(checklistNames(draft).contains(authorisation))
        try wizard.tickDocument(at: 4, ticked: true, in: &draft, now: now)

        try wizard.back(&draft, now: now)
        try wizard.answer(["authorised": "no"], in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        #expect(!checklistNames(draft).contains(authorisation))
        #expect(draft.tickedDocuments.contains(authorisation))
        #expect(refusal { try wizard.tickDocument(at: 4, ticked: false, in: &draft, now: now) } == ["documents.4: document_not_listed"])

        try wizard.back(&draft, now: now)
        try wizard.answer(["authorised": "yes", "birthCase": "abandoned"], in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        #expect(wizard.checklist(of: draft).map(\.index) == [0, 2, 4, 5, 6])
        #expect(wizard.checklist(of: draft).first { $0.index == 4 }?.ticked == true)
    }

    @Test func aHiddenQuestionIsNeitherCheckedNorKept() throws {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(childAnswers.merging(["authoriserName": "x\u{0}"]) { $1 }, in: &draft, now: now)

        #expect(wizard.askedFields(of: draft).map(\.id).contains("authoriserName") == false)
        #expect(try wizard.forward(&draft, now: now) == .documents)
        #expect(draft.answers["authoriserName"] == "x\u{0}")
        try wizard.forward(&draft, now: now)
        try wizard.forward(&draft, now: now)
        #expect(try wizard.finish(draft, submission: .bookSlot, sequence: 1, now: now).answers["authoriserName"] == nil)
    }

    @Test func anInvalidAnswerIsReportedOnItsFieldWithItsLabel() throws {
        var draft = try birthDraftAtEForm(now)
        var answers = childAnswers
        answers["childName"] = nil
        answers["childBirthDate"] = "31/02/2026"
        answers["copies"] = "hai"
        try wizard.answer(answers, in: &draft, now: now)

        let failure = try #require(throwing(FieldErrors.self) { try wizard.forward(&draft, now: now) })

        #expect(failure.errors.map { "\($0.field): \($0.code)" } == [
            "answers.childName: answer_required", "answers.childBirthDate: answer_date", "answers.copies: answer_number",
        ])
        #expect(failure.errors[1].vi.hasPrefix("Ngày, tháng, năm sinh của trẻ: không phải ngày hợp lệ"))
        #expect(failure.errors[1].en.hasPrefix("childBirthDate (en): is not a valid date"))
        #expect(draft.step == .eform)
        #expect(draft.answers["childBirthDate"] == "31/02/2026")
    }

    @Test func unknownQuestionsAreRefusedAndTheOthersTaken() throws {
        var draft = try birthDraftAtEForm(now)

        #expect(refusal { try wizard.answer(["zzz": "1", "childName": "Khôi"], in: &draft, now: now) } == ["answers.zzz: answer_unknown_field"])
        #expect(draft.answers["childName"] == "Khôi")
    }

    @Test func theApplicantsProblemsAreReportedOnTheirFields() throws {
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("1.001193", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.enterApplicant(ApplicantEntry(fullName: "Nguyễn Văn A1", idNumber: "0012030123", phone: "024 3825 1234"), in: &draft, now: now)

        #expect(refusal { try wizard.forward(&draft, now: now) } == [
            "applicant.fullName: full_name_characters", "applicant.idNumber: id_number_length", "applicant.phone: phone_landline",
        ])
        #expect(draft.step == .applicant)
    }

    @Test func eachChangeBelongsToItsStep() throws {
        var draft = wizard.start(code: F.code, now: now)

        #expect(refusal { try wizard.forward(&draft, now: now) } == ["procedure: procedure_required"])
        #expect(refusal { try wizard.chooseProcedure("9.999999", in: &draft, now: now) } == ["procedure: procedure_unknown"])
        #expect(refusal { try wizard.answer(["childName": "Khôi"], in: &draft, now: now) } == ["step: wrong_step"])
        #expect(refusal { try wizard.readIdentityCard(qr: F.manCard, in: &draft, now: now) } == ["step: wrong_step"])
        #expect(refusal { try wizard.back(&draft, now: now) } == ["step: no_previous_step"])
        try wizard.chooseProcedure("1.001193", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        #expect(refusal { try wizard.back(&draft, to: .review, now: now) } == ["step: cannot_go_back"])
        #expect(refusal { try wizard.readIdentityCard(qr: "001203012345|", in: &draft, now: now) } == ["qr: qr_truncated"])
    }

    @Test func aDraftWaitingAtAStepItsProcedureLostStillMoves() throws {
        let draft = try birthDraftAtEForm(now)
        var withoutEForm = F.birthRegistration
        withoutEForm.eform = []
        let reloaded = DossierWizard(catalog: ProcedureCatalog([withoutEForm]), timeZone: F.saigon, agencyCode: "000.00.01.H22")
        var forward = draft
        var back = draft

        #expect(try reloaded.forward(&forward, now: now) == .documents)
        #expect(try reloaded.back(&back, now: now) == .applicant)
    }

    @Test func theLastStepHasNoNextAndOnlyFinishes() throws {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(childAnswers, in: &draft, now: now)
        for _ in 0..<3 { try wizard.forward(&draft, now: now) }

        #expect(draft.step == .finish)
        #expect(refusal { try wizard.forward(&draft, now: now) } == ["step: no_next_step"])
    }

    @Test func submittingNowNeedsEveryRequiredDocumentBookingDoesNot() throws {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(childAnswers, in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.tickDocument(at: 0, ticked: true, in: &draft, now: now)
        for _ in 0..<2 { try wizard.forward(&draft, now: now) }

        let failure = try #require(throwing(FieldErrors.self) { _ = try wizard.finish(draft, submission: .submitNow, sequence: 1, now: now) })
        let booked = try wizard.finish(draft, submission: .bookSlot, sequence: 1, now: now)

        #expect(failure.errors.map { "\($0.field): \($0.code)" } == ["documents.1: document_missing", "documents.5: document_missing"])
        #expect(failure.errors[0].vi.contains("Giấy chứng sinh"))
        #expect(booked.documents.count == 4)
    }

    @Test func resultsByPostNeedAnAddressAndOnlyOfferedWaysAreTaken() throws {
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("2.000815", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.enterApplicant(ApplicantEntry(fullName: "Lò Văn Páo", idNumber: "011090001234", phone: "0388123456"), in: &draft, now: now)
        for _ in 0..<2 { try wizard.forward(&draft, now: now) }
        #expect(refusal { try wizard.chooseResultDelivery(.post, in: &draft, now: now) } == ["resultDelivery: result_delivery_unavailable"])

        var birth = try birthDraftAtEForm(now)
        try wizard.back(&birth, now: now)
        try wizard.enterApplicant(ApplicantEntry(address: " "), in: &birth, now: now)
        try wizard.forward(&birth, now: now)
        try wizard.answer(childAnswers, in: &birth, now: now)
        for _ in 0..<2 { try wizard.forward(&birth, now: now) }
        try wizard.chooseResultDelivery(.post, in: &birth, now: now)

        #expect(refusal { try wizard.forward(&birth, now: now) } == ["applicant.address: address_required_for_post"])
    }
}

@Suite struct DossierAutofillTests {
    let now = F.at("2026-03-02T08:00:00+07:00")

    @Test func theShareIsAutofilledOverFilledAndDropsWhenTheCitizenChangesAnAnswer() throws {
        var draft = try birthDraftAtEForm(now)
        #expect(draft.autofilled == ["requesterName", "requesterIdNumber", "requesterAddress"])
        #expect(wizard.autofillShare(of: draft) == AutofillShare(autofilled: 3, filled: 3))

        try wizard.answer(childAnswers, in: &draft, now: now)
        #expect(wizard.autofillShare(of: draft).fraction == 3.0 / 9.0)

        try wizard.answer(["requesterName": "Nguyễn Văn An", "requesterAddress": "Số 40 Hàng Bạc, Hà Nội"], in: &draft, now: now)
        #expect(wizard.autofillShare(of: draft) == AutofillShare(autofilled: 2, filled: 9))
    }

    @Test func typingAnotherIdNumberDropsTheCardAndWhatItFilledIn() throws {
        var draft = wizard.start(code: F.code, now: now)
        try wizard.chooseProcedure("1.001193", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.readIdentityCard(qr: F.manCard, in: &draft, now: now)

        try wizard.enterApplicant(ApplicantEntry(idNumber: "001 203 012 345"), in: &draft, now: now)
        #expect(draft.identityCard != nil && draft.autofilled.count == 3)
        try wizard.enterApplicant(ApplicantEntry(idNumber: "079185012345"), in: &draft, now: now)

        #expect(draft.identityCard == nil)
        #expect(draft.autofilled.isEmpty && draft.answers.isEmpty)
        #expect(draft.applicant.fullName == "Nguyễn Văn An")
    }

    @Test func anotherProcedureStartsItsFormAnewFilledFromTheSameCard() throws {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(childAnswers, in: &draft, now: now)
        try wizard.back(&draft, to: .procedure, now: now)

        try wizard.chooseProcedure("1.000894", in: &draft, now: now)

        #expect(draft.answers == [
            "applicantGender": "male", "applicantName": "Nguyễn Văn An", "applicantBirthDate": "2003-03-15",
            "applicantIdNumber": "001203012345", "applicantAddress": "Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
        ])
        #expect(draft.autofilled.count == 5 && draft.tickedDocuments.isEmpty)
    }

    @Test func aScanDoesNotOverwriteWhatTheCitizenTyped() throws {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(["requesterAddress": "Phòng 3, nhà B, ngõ 5 Láng Hạ"], in: &draft, now: now)
        try wizard.back(&draft, now: now)

        try wizard.readIdentityCard(qr: F.manCard, in: &draft, now: now)

        #expect(draft.answers["requesterAddress"] == "Phòng 3, nhà B, ngõ 5 Láng Hạ")
        #expect(draft.autofilled == ["requesterName", "requesterIdNumber"])
    }
}

@Suite struct DossierDraftLifetimeTests {
    let now = F.at("2026-03-02T08:00:00+07:00")

    private func documentsDraft() throws -> DossierDraft {
        var draft = try birthDraftAtEForm(now)
        try wizard.answer(childAnswers, in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.tickDocument(at: 0, ticked: true, in: &draft, now: now)
        return draft
    }

    @Test func aDraftIsIdleAfterTheLimitExactly() throws {
        let draft = try documentsDraft()

        #expect(!draft.isExpired(now: now.addingTimeInterval(119), idleLimit: 120))
        #expect(draft.isExpired(now: now.addingTimeInterval(120), idleLimit: 120))
    }

    @Test func anIdleDraftRefusesChangesAndResumesWithoutPersonalData() throws {
        var draft = try documentsDraft()
        let later = now.addingTimeInterval(wizard.idleLimit + 1)

        #expect(refusal { try wizard.tickDocument(at: 1, ticked: true, in: &draft, now: later) } == ["draftCode: draft_idle"])
        var resumed = try wizard.resume(draft, now: later)

        #expect(resumed.applicant == ApplicantEntry() && resumed.identityCard == nil)
        #expect(resumed.answers.isEmpty && resumed.autofilled.isEmpty)
        #expect(resumed.step == .documents && resumed.procedureCode == "1.001193")
        #expect(resumed.tickedDocuments == ["Tờ khai đăng ký khai sinh theo mẫu"] && resumed.lastActivity == later)
        try wizard.forward(&resumed, now: later)
        // Review checks every earlier step again, so the purged data must be given anew.
        let missing = refusal { try wizard.forward(&resumed, now: later) }
        #expect(missing.prefix(4) == [
            "applicant.fullName: full_name_required", "applicant.idNumber: id_number_required",
            "applicant.phone: phone_required", "answers.requesterName: answer_required",
        ])
    }

    @Test func purgingKeepsNothingPersonal() throws {
        let purged = try documentsDraft().purgedPersonalData()

        let json = String(decoding: try JSONEncoder().encode(purged), as: UTF8.self)

        for secret in ["001203012345", "Nguyễn", "Hàng Bạc", "0912345678", "Khôi", "2026-04-20"] {
            #expect(!json.contains(secret))
        }
    }

    @Test func aDraftResumesByItsTypedCodeUntilItsWindowCloses() throws {
        let draft = try documentsDraft()
        let saved = try JSONEncoder().encode(draft)

        let typed = try #require(DraftCode(parsing: " k7mq-3xhp "))
        let loaded = try JSONDecoder().decode(DossierDraft.self, from: saved)
        let soon = try wizard.resume(loaded, now: now.addingTimeInterval(60))

        #expect(typed == draft.code && loaded == draft)
        #expect(soon.answers == draft.answers && soon.applicant == draft.applicant)
        #expect(draft.resumableUntil == now.addingTimeInterval(86_400))
        #expect(refusal { _ = try wizard.resume(loaded, now: draft.resumableUntil) } == ["draftCode: draft_expired"])
        #expect(DraftCode(parsing: "K7MQ-3XH") == nil && DraftCode(parsing: "K7MQ-3XH0") == nil)
    }

    @Test func printingADraftOrADossierShowsOnlyItsCodes() throws {
        let draft = try documentsDraft()

        var dumped = ""
        dump(draft, to: &dumped)

        #expect("\(draft)" == "DossierDraft(K7MQ-3XHP, documents, 1.001193)")
        for text in ["\(draft)", String(reflecting: draft), dumped, "\(draft.applicant)"] {
            #expect(!text.contains("001203012345") && !text.contains("Nguyễn") && !text.contains("0912345678"))
        }
    }
}

/// The error a call throws, or nil.
private func throwing<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch {
        return error as? E
    }
}
