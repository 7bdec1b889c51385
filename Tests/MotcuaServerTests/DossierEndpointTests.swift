import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import MotcuaStore
import PrintTestSupport
import Testing
@testable import MotcuaServer

/// Dossiers prepared at the kiosk over HTTP, step by step on the demo catalog's real
/// procedures, then opened, received, sent back or refused at the counter.
@Suite struct DossierEndpointTests {
    struct DraftItem: Decodable {
        struct Item: Decodable { let index: Int; let name: String; let required: Bool; let ticked: Bool }
        struct Field: Decodable { let id: String }
        struct Applicant: Decodable { let fullName: String?; let idNumber: String?; let phone: String? }
        struct Autofill: Decodable { let autofilled: Int; let filled: Int; let share: Double? }
        let code: String
        let step: String
        let steps: [String]
        let idle: Bool
        let applicant: Applicant
        let fromIdentityCard: Bool
        let answers: [String: String]
        let fields: [Field]
        let checklist: [Item]
        let autofill: Autofill
    }

    struct StatusItem: Decodable {
        let code: String
        let lookupCode: String
        let status: String
        let expectedReturnDate: String?
        let receivedAt: String?
    }

    struct FinishedItem: Decodable {
        struct TicketRef: Decodable { let id: Int64; let number: String }
        struct BookingRef: Decodable { let code: String }
        struct Autofill: Decodable { let autofilled: Int; let filled: Int }
        let dossier: StatusItem
        let autofill: Autofill
        let ticket: TicketRef?
        let booking: BookingRef?
    }

    struct DossierItem: Decodable {
        struct Applicant: Decodable { let fullName: String; let idNumber: String; let fromIdentityCard: Bool }
        struct Document: Decodable { let name: String; let required: Bool; let ticked: Bool? }
        let status: StatusItem
        let applicant: Applicant
        let documents: [Document]
        let ticketId: Int64?
        let registerNumber: Int?
        let officer: String?
        let reason: String?
    }

    struct DecisionItem: Decodable {
        let dossier: DossierItem
        let print: PrintingEndpointTests.Printed?
    }

    struct ErrorItem: Decodable {
        struct Detail: Decodable { let field: String; let code: String }
        struct Body: Decodable { let code: String; let field: String?; let message: String; let details: [Detail]? }
        let error: Body
    }

    static let manCard = "001203012345||Nguyễn Văn An|15032003|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021"
    static let womanCard = "079185012345|023456789|Trần Thị Bích Ngọc|02091985|Nữ|123/4 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|10072022"

    /// A kiosk going through the wizard of one draft.
    struct Kiosk {
        let client: any TestClientProtocol
        let code: String

        static func start(_ client: any TestClientProtocol) async throws -> Kiosk {
            let response = try await client.json("/api/v1/dossiers/drafts", .post)
            #expect(response.status == .created)
            return Kiosk(client: client, code: try response.decoded(DraftItem.self).code)
        }

        /// A step that must succeed.
        @discardableResult
        func step(_ path: String, _ body: String = "{}", sourceLocation: SourceLocation = #_sourceLocation) async throws -> DraftItem {
            let response = try await client.json("/api/v1/dossiers/drafts/\(code)/\(path)", .post, body: body)
            #expect(response.status == .ok, "\(path): \(response.text)", sourceLocation: sourceLocation)
            return try response.decoded(DraftItem.self)
        }

        /// A step that must be refused; its error.
        func refused(_ path: String, _ body: String = "{}", status: HTTPResponse.Status = .unprocessableContent) async throws -> ErrorItem.Body {
            let response = try await client.json("/api/v1/dossiers/drafts/\(code)/\(path)", .post, body: body)
            #expect(response.status == status, "\(path): \(response.text)")
            return try response.decoded(ErrorItem.self).error
        }

        func draft() async throws -> DraftItem {
            try await client.json("/api/v1/dossiers/drafts/\(code)").decoded(DraftItem.self)
        }

        func tickAllRequired() async throws {
            for item in try await draft().checklist where item.required {
                try await step("documents", #"{"index": \#(item.index), "ticked": true}"#)
            }
        }

        func finish(_ body: String = #"{"submission": "submit_now"}"#) async throws -> FinishedItem {
            let response = try await client.json("/api/v1/dossiers/drafts/\(code)/finish", .post, body: body)
            #expect(response.status == .created, "finish: \(response.text)")
            return try response.decoded(FinishedItem.self)
        }
    }

    /// Đăng ký khai sinh, from the card, with every turn a citizen takes.
    @Test func aBirthRegistrationWithABackStepAConditionalDocumentAndAnInvalidField() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let kiosk = try await Kiosk.start(client)
            try await kiosk.step("procedure", #"{"procedureCode": "1.001193"}"#)
            try await kiosk.step("forward")
            let carded = try await kiosk.step("identity-card", #"{"qr": "\#(Self.womanCard)"}"#)
            #expect(carded.applicant.fullName == "Trần Thị Bích Ngọc" && carded.fromIdentityCard)
            #expect(carded.answers["requesterIdNumber"] == "079185012345", "the e-form is filled from the card")
            let noPhone = try await kiosk.refused("forward")
            #expect(noPhone.field == "applicant.phone")
            try await kiosk.step("applicant", #"{"phone": "+84 912 345 678"}"#)
            #expect(try await kiosk.step("forward").step == "eform")

            try await kiosk.step("answers", """
                {"answers": {"relationship": "mother", "childName": "Nguyễn Minh Khôi", "childBirthDate": "31/02/2027", "childGender": "male",
                 "birthPlace": "Bệnh viện Phụ sản Hà Nội", "ethnicity": "Kinh", "birthCase": "ordinary", "authorised": "yes"}}
                """)
            let invalid = try await kiosk.refused("forward")
            let fields = Set((invalid.details ?? []).map(\.field))
            #expect(fields == ["answers.childBirthDate", "answers.authoriserName"], "the impossible date and the question authorising opened")
            try await kiosk.step("answers", #"{"answers": {"childBirthDate": "25/02/2027", "authoriserName": "Nguyễn Văn Bình"}}"#)
            let documents = try await kiosk.step("forward")
            #expect(documents.step == "documents")
            #expect(documents.checklist.contains { $0.name.hasPrefix("Văn bản ủy quyền") && $0.required })

            // Back to the e-form: not authorised after all, so the authorisation leaves the list.
            let back = try await client.json("/api/v1/dossiers/drafts/\(kiosk.code)/back", .post).decoded(DraftItem.self)
            #expect(back.step == "eform" && back.answers["childName"] == "Nguyễn Minh Khôi", "going back keeps the answers")
            try await kiosk.step("answers", #"{"answers": {"authorised": "no"}}"#)
            let fewer = try await kiosk.step("forward")
            #expect(!fewer.checklist.contains { $0.name.hasPrefix("Văn bản ủy quyền") })
            let early = try await kiosk.refused("finish", #"{"submission": "submit_now"}"#)
            #expect(early.code == "wrong_step")
            try await kiosk.tickAllRequired()
            #expect(try await kiosk.step("forward").step == "review")
            #expect(try await kiosk.step("forward").step == "finish")

            let finished = try await kiosk.finish()

            #expect(finished.dossier.code == "000.00.00.H00-270301-0001")
            #expect(finished.dossier.status == "prepared" && finished.dossier.expectedReturnDate == "2027-03-02")
            #expect(finished.ticket?.number == "A001")
            #expect(finished.autofill.autofilled == 3 && finished.autofill.filled == 11, "name, ID number and address of 11 answers")
            #expect(try await client.json("/api/v1/dossiers/drafts/\(kiosk.code)").status == .notFound, "the draft is gone")
            let status = try await client.json("/api/v1/dossiers/\(kiosk.code)/status")
            #expect(try status.decoded(StatusItem.self).code == finished.dossier.code, "the short code looks the dossier up")
            #expect(!status.text.contains("Trần Thị") && !status.text.contains("079185012345"), "no personal data in a public look-up")
        }
    }

    /// A procedure without an e-form skips that step, and booking a slot instead of a ticket.
    @Test func aCertifiedCopyBookedForASlot() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let kiosk = try await Kiosk.start(client)
            let chosen = try await kiosk.step("procedure", #"{"procedureCode": "2.000815"}"#)
            #expect(chosen.steps == ["procedure", "applicant", "documents", "review", "finish"])
            try await kiosk.step("forward")
            try await kiosk.step("applicant", #"{"fullName": "Lê Văn Tám", "idNumber": "001090001234", "phone": "0987654321"}"#)
            #expect(try await kiosk.step("forward").step == "documents")
            try await kiosk.step("forward")
            try await kiosk.step("forward")
            let slots = try await client.json("/api/v1/slots?service=A&from=2027-03-02&to=2027-03-02").decoded([BookingEndpointTests.SlotItem].self)
            let slot = try #require(slots.first)
            let missing = try await kiosk.refused("finish", #"{"submission": "submit_now"}"#)
            #expect(missing.code == "document_missing", "nothing ticked: it cannot be submitted now")

            let finished = try await kiosk.finish(#"{"submission": "book_slot", "slotId": \#(slot.id)}"#)

            let booking = try #require(finished.booking)
            #expect(finished.ticket == nil && finished.dossier.expectedReturnDate == nil)
            #expect(try await client.json("/api/v1/bookings/\(booking.code)").status == .ok)
            let after = try await client.json("/api/v1/slots?service=A&from=2027-03-02&to=2027-03-02").decoded([BookingEndpointTests.SlotItem].self)
            #expect(after.first { $0.id == slot.id }?.booked == slot.booked + 1)
        }
    }

    /// The citizen walks away: the draft loses its personal data and is resumed by its code.
    @Test func anIdleDraftForgetsThePersonAndIsResumedByItsCode() async throws {
        let clock = ManualClock(TestSite.mondayMorning)
        let app = try await TestSite(clock: clock.clock).app()

        try await app.test(.router) { client in
            let kiosk = try await Kiosk.start(client)
            try await kiosk.step("procedure", #"{"procedureCode": "1.004873"}"#)
            try await kiosk.step("forward")
            try await kiosk.step("identity-card", #"{"qr": "\#(Self.manCard)"}"#)
            clock.advance(by: 121)

            let seen = try await kiosk.draft()
            let refused = try await kiosk.refused("applicant", #"{"phone": "0912345678"}"#)
            let resumed = try await kiosk.step("resume")

            #expect(seen.idle && seen.applicant.fullName == nil && seen.answers.isEmpty, "the next person sees nothing of the last")
            #expect(refused.code == "draft_idle")
            #expect(!resumed.idle && resumed.step == "applicant" && resumed.applicant.idNumber == nil && !resumed.fromIdentityCard)
            try await kiosk.step("identity-card", #"{"qr": "\#(Self.manCard)"}"#)
            try await kiosk.step("applicant", #"{"phone": "0912345678"}"#)
            #expect(try await kiosk.step("forward").step == "eform")
            clock.advance(by: 25 * 3600)
            #expect(try await kiosk.refused("resume").code == "draft_expired")
        }
    }

    /// The slip printed for a half-done draft carries its code as text and as QR, and that
    /// code opens the draft again.
    @Test func aDraftSlipCarriesTheCodeThatResumesIt() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let kiosk = try await Kiosk.start(client)
            let noProcedure = try await client.json("/api/v1/dossiers/drafts/\(kiosk.code)/slip.pdf")
            try await kiosk.step("procedure", #"{"procedureCode": "1.000656"}"#)

            let pdf = Data(buffer: try await client.json("/api/v1/dossiers/drafts/\(kiosk.code)/slip.pdf").body)

            #expect(noProcedure.status == .unprocessableContent)
            let text = try await Poppler.text(of: pdf)
            #expect(text.contains("PHIẾU HƯỚNG DẪN CHUẨN BỊ HỒ SƠ") && text.contains("Thủ tục đăng ký khai tử"))
            #expect(text.contains(kiosk.code))
            let scanned = try await Zbar.decode(png: try await Poppler.png(of: pdf, dpi: 300))
            #expect(try await client.json("/api/v1/dossiers/drafts/\(scanned)").decoded(DraftItem.self).code == kiosk.code)
        }
    }

    /// Giấy xác nhận tình trạng hôn nhân (3 working days) received on Thursday 15 April 2027:
    /// Hùng Kings' day on the Friday pushes the return date to Wednesday 21.
    @Test func theCounterReceivesTheCalledTicketsDossierAndTheDueDateSkipsTheHoliday() async throws {
        let thursday = try Date("2027-04-15T10:00:00+07:00", strategy: .iso8601)
        try await PrivateCupsd.withCaptureQueue("dossier-receipt") { queue in
            let site = try PrintingEndpointTests.site(printingTo: queue.name, on: queue.server.description, clock: .fixed(thursday))
            let officer = try await site.token(.officer)
            let app = try await site.app()

            try await app.test(.router) { client in
                let finished = try await Self.prepareMaritalStatus(client)
                _ = try await client.json("/api/v1/counters/1/open", .post, token: officer)
                let called = try await client.json("/api/v1/counters/1/call-next", .post, token: officer)
                let ticketId = try called.decoded(QueueEndpointTests.TicketItem.self).id
                #expect(ticketId == finished.ticket?.id)

                let opened = try await client.json("/api/v1/tickets/\(ticketId)/dossier", token: officer).decoded(DossierItem.self)
                let received = try await client.json(
                    "/api/v1/dossiers/\(opened.status.code)/receive", .post, token: officer, body: #"{"printer": "kiosk-printer"}"#
                ).decoded(DecisionItem.self)

                #expect(opened.applicant.fullName == "Nguyễn Văn An" && opened.applicant.fromIdentityCard)
                // The officer sees what the citizen ticked: every required document, to submit now.
                #expect(opened.documents.contains { $0.required })
                #expect(opened.documents.filter(\.required).allSatisfy { $0.ticked == true })
                #expect(received.dossier.status.status == "received" && received.dossier.status.expectedReturnDate == "2027-04-21")
                #expect(received.dossier.registerNumber == 1 && received.dossier.officer == "test officer")
                #expect(received.print?.state == "printed")
                let captured = try #require(try FileManager.default.contentsOfDirectory(atPath: queue.folder.path).first { $0.hasPrefix("job-") })
                let text = try await Poppler.text(of: try Data(contentsOf: queue.folder.appendingPathComponent(captured)))
                #expect(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"))
                #expect(text.contains(opened.status.code) && text.contains("Nguyễn Văn An") && text.contains("001203012345"))
                #expect(text.contains("ngày 21 tháng 04 năm 2027") && text.contains("10 giờ 00 phút, ngày 15 tháng 04 năm 2027"))
                #expect(text == VietnameseText.nfc(text))
                let again = try await client.json("/api/v1/dossiers/\(opened.status.code)/receive", .post, token: officer, body: "{}")
                #expect(again.status == .conflict)
                let status = try await client.json("/api/v1/dossiers/\(finished.dossier.lookupCode)/status").decoded(StatusItem.self)
                #expect(status.status == "received" && status.receivedAt == "2027-04-15T10:00:00+07:00")
            }
        }
    }

    @Test func aSupplementAndARefusalPrintTheirFormsWithTheReason() async throws {
        let site = TestSite()
        let token = try await site.token(.officer)
        let app = try await site.app()

        try await app.test(.router) { client in
            let first = try await Self.prepareMaritalStatus(client)
            let second = try await Self.prepareMaritalStatus(client, card: Self.womanCard)
            let blank = try await client.json("/api/v1/dossiers/\(first.dossier.code)/supplement", .post, token: token, body: #"{"reason": "  "}"#)
            let asked = try await client.json("/api/v1/dossiers/\(first.dossier.code)/supplement", .post, token: token, body: """
                {"reason": "Thiếu giấy tờ chứng minh việc ly hôn.", "documents": [{"name": "Bản án ly hôn", "note": "bản sao có chứng thực"}]}
                """).decoded(DecisionItem.self)
            let refused = try await client.json("/api/v1/dossiers/\(second.dossier.code)/refuse", .post, token: token, body: """
                {"reason": "Người yêu cầu không cư trú trên địa bàn phường."}
                """).decoded(DecisionItem.self)
            let supplementText = try await Poppler.text(of: Data(buffer: try await client.json("/api/v1/dossiers/\(first.dossier.code)/form.pdf", token: token).body))
            let refusalText = try await Poppler.text(of: Data(buffer: try await client.json("/api/v1/dossiers/\(second.dossier.code)/form.pdf", token: token).body))
            let unknownPrinter = try await client.json(
                "/api/v1/dossiers/\(first.dossier.code)/receive", .post, token: token, body: #"{"printer": "no-such-printer"}"#
            )
            let receivedAfter = try await client.json("/api/v1/dossiers/\(first.dossier.code)/receive", .post, token: token)

            #expect(blank.status == .unprocessableContent)
            #expect(try blank.decoded(ErrorItem.self).error.field == "reason")
            #expect(asked.dossier.status.status == "supplement_requested" && asked.print == nil)
            #expect(refused.dossier.status.status == "refused" && refused.dossier.reason == "Người yêu cầu không cư trú trên địa bàn phường.")
            #expect(supplementText.contains("Thiếu giấy tờ chứng minh việc ly hôn.") && supplementText.contains("Bản án ly hôn: bản sao có chứng thực"))
            #expect(refusalText.contains("Người yêu cầu không cư trú trên địa bàn phường.") && refusalText.contains("Trần Thị Bích Ngọc"))
            #expect(unknownPrinter.status == .unprocessableContent)
            #expect(try unknownPrinter.decoded(ErrorItem.self).error.field == "printer")
            #expect(receivedAfter.status == .ok, "the citizen came back with the supplement; the bad printer had decided nothing")
        }
    }

    @Test func theCounterSideNeedsAnOfficer() async throws {
        let site = TestSite()
        let kiosk = try await site.token(.kiosk)
        let app = try await site.app()

        try await app.test(.router) { client in
            let finished = try await Self.prepareMaritalStatus(client)
            let anonymous = try await client.json("/api/v1/dossiers/\(finished.dossier.code)/receive", .post, body: "{}")
            let fromKiosk = try await client.json("/api/v1/dossiers/\(finished.dossier.code)/receive", .post, token: kiosk, body: "{}")
            let read = try await client.json("/api/v1/dossiers/\(finished.dossier.code)", token: kiosk)
            let unknown = try await client.json("/api/v1/dossiers/000.00.00.H00-270301-9999/status")

            #expect(anonymous.status == .unauthorized && fromKiosk.status == .forbidden && read.status == .forbidden)
            #expect(unknown.status == .notFound)
            #expect(try unknown.decoded(ErrorItem.self).error.code == "dossier_not_found")
        }
    }

    @Test func managersSeeTheAutofillShare() async throws {
        let site = TestSite()
        let manager = try await site.token(.manager)
        let app = try await site.app()

        try await app.test(.router) { client in
            _ = try await Self.prepareMaritalStatus(client)
            struct Statistics: Decodable {
                struct Autofill: Decodable { let autofilled: Int; let filled: Int; let share: Double? }
                let total: Int
                let byStatus: [String: Int]
                let autofill: Autofill
            }
            let statistics = try await client.json("/api/v1/dossiers/statistics?from=2027-03-01&to=2027-03-01", token: manager)
                .decoded(Statistics.self)

            #expect(statistics.total == 1 && statistics.byStatus["prepared"] == 1 && statistics.byStatus["received"] == 0)
            #expect(statistics.autofill.autofilled == 5 && statistics.autofill.filled == 9)
            #expect(statistics.autofill.share == 5.0 / 9.0)
        }
    }

    /// Giấy xác nhận tình trạng hôn nhân from a card, submitted now.
    static func prepareMaritalStatus(_ client: some TestClientProtocol, card: String = manCard) async throws -> FinishedItem {
        let kiosk = try await Kiosk.start(client)
        try await kiosk.step("procedure", #"{"procedureCode": "1.004873"}"#)
        try await kiosk.step("forward")
        try await kiosk.step("identity-card", #"{"qr": "\#(card)"}"#)
        try await kiosk.step("applicant", #"{"phone": "0912345678"}"#)
        try await kiosk.step("forward")
        try await kiosk.step("answers", #"{"answers": {"purpose": "Đăng ký kết hôn", "maritalHistory": "never", "reissue": "no", "authorised": "no"}}"#)
        try await kiosk.step("forward")
        try await kiosk.tickAllRequired()
        try await kiosk.step("forward")
        try await kiosk.step("forward")
        return try await kiosk.finish()
    }
}
