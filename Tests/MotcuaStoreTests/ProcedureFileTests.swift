import Foundation
import MotcuaCore
import Testing
@testable import MotcuaStore

/// The demo catalog file shipped with the store, as `--demo` loads it.
private func demoCatalog() throws -> [Procedure] {
    try DemoCentre.catalog()
}

/// The problems of loading `text` as `field line:column code`; empty when it loaded.
private func problems(_ text: String, serviceIds: Set<String>? = nil) -> [String] {
    do {
        _ = try ProcedureFile.decode(text, file: "test.yaml", serviceIds: serviceIds)
        return []
    } catch {
        return error.problems.map { "\($0.path) \($0.line ?? 0):\($0.column ?? 0) \($0.code)" }
    }
}

/// One valid procedure, then whatever `extra` adds to it (indented as its keys).
private func procedureText(code: String = "1.001193", _ extra: String = "") -> String {
    """
    - code: "\(code)"
      name: "Thủ tục đăng ký khai sinh"
      nameEn: "Birth registration"
      field: "Hộ tịch"
      agency: "Ủy ban nhân dân cấp xã"
      level: "commune"
      serviceId: "A"
      processingDays: 1
      fees: []
      documents:
        - name: "Tờ khai"
          originals: 1
          copies: 0
          condition: null
    \(extra)
    """
}

@Suite struct DemoCatalogFileTests {
    /// The codes the demo catalog had before the wizard; none may be lost.
    static let codesBeforeTheWizard = [
        "1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000815", "2.000884", "1.013225",
        "1.013978", "1.013831", "1.012783", "1.001612", "2.000720", "1.001570", "2.000181", "1.014748",
    ]

    @Test func loadsWithoutAProblemAndKeepsEveryProcedure() throws {
        let procedures = try demoCatalog()

        #expect(procedures.count == 17)
        #expect(Set(procedures.map(\.code)).isSuperset(of: Self.codesBeforeTheWizard))
        #expect(procedures.contains { $0.code == "1.004222" && $0.name == "Đăng ký thường trú" && $0.processingDays == 7 })
    }

    @Test func atLeastSixRealProceduresHaveAnEFormAndConditionalDocuments() throws {
        let procedures = try demoCatalog()

        let withEForm = procedures.filter { !$0.eform.isEmpty }.map(\.code)
        let withConditions = procedures.filter { $0.documents.contains { $0.requiredWhen != nil } }.map(\.code)

        #expect(withEForm == ["1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000884", "1.004222", "1.001612"])
        #expect(withConditions == ["1.001193", "1.000656", "1.004873", "2.000635", "2.000884", "1.004222", "1.001612"])
    }

    /// Provincial plans ask that at least 20% of an e-form be filled in automatically.
    @Test func everyEFormTakesAtLeastAFifthOfItsQuestionsFromTheIdCard() throws {
        let short = try demoCatalog().filter { !$0.eform.isEmpty }.filter { procedure in
            Double(procedure.eform.count { $0.source != nil }) / Double(procedure.eform.count) < 0.2
        }

        #expect(short.map(\.code) == [])
    }

    @Test func aBirthRegistrationWalksThroughTheRealFile() throws {
        let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let now = try Date("2026-03-02T09:00:00+07:00", strategy: .iso8601)
        let wizard = DossierWizard(catalog: ProcedureCatalog(try demoCatalog()), timeZone: saigon, agencyCode: "000.00.01.H22")
        var draft = wizard.start(code: DraftCode(compact: "K7MQ3XHP")!, now: now)
        try wizard.chooseProcedure("1.001193", in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.readIdentityCard(
            qr: "001203012345||Nguyễn Văn An|15032003|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021", in: &draft, now: now
        )
        try wizard.enterApplicant(ApplicantEntry(phone: "0912345678"), in: &draft, now: now)
        try wizard.forward(&draft, now: now)
        try wizard.answer([
            "relationship": "father", "childName": "Nguyễn Minh Khôi", "childBirthDate": "20/02/2026", "childGender": "male",
            "birthPlace": "Bệnh viện Phụ sản Hà Nội", "ethnicity": "Kinh", "motherName": "Trần Thị Lan",
            "fatherName": "Nguyễn Văn An", "birthCase": "ordinary", "authorised": "yes", "authoriserName": "Trần Thị Lan",
        ], in: &draft, now: now)
        try wizard.forward(&draft, now: now)

        let checklist = wizard.checklist(of: draft)

        #expect(checklist.map(\.index) == [0, 1, 4, 5, 6])
        #expect(checklist[2].document.name == "Văn bản ủy quyền (được chứng thực)")
        #expect(wizard.autofillShare(of: draft) == AutofillShare(autofilled: 3, filled: 14))
    }
}

@Suite struct ProcedureFileProblemTests {
    @Test func aValidFileLoads() throws {
        let procedures = try ProcedureFile.decode(procedureText(), file: "test.yaml")

        #expect(procedures.map(\.code) == ["1.001193"])
        #expect(procedures[0].resultDelivery == [.desk] && procedures[0].eform.isEmpty)
    }

    @Test func aSyntaxErrorNamesItsLine() {
        let text = procedureText() + "\n- code: \"2.000815\n  name: x\n"

        do {
            _ = try ProcedureFile.decode(text, file: "test.yaml")
            Issue.record("an unclosed quote was accepted")
        } catch {
            #expect(error.problems.map(\.code) == ["yaml_syntax"])
            #expect(error.problems[0].line == 18)
            #expect(error.problems[0].en.contains("while scanning a quoted scalar, from line 16"))
        }
    }

    /// Found by fuzzing: libyaml places a problem found at the very end of a file without a
    /// final line break on the line after the last; the problem names the last line instead.
    @Test func aProblemAtTheEndOfTheFileIsOnItsLastLine() {
        #expect(problems("- code: \"1.000894\"\n  nam") == [" 2:6 yaml_syntax"])
    }

    /// Found by probing the loader with the fuzzer's alias tokens: a thousand procedures
    /// repeating one by alias, each with a thousand e-form fields repeating one, each with a
    /// thousand choices repeating one: 10⁹ choices from 15 KB, and decoding never finished.
    @Test func aliasesRepeatingAliasesAreRefusedOnceTheyOutgrowTheFile() {
        let choices = "[&c {value: a, label: x, labelEn: x}" + String(repeating: ", *c", count: 999) + "]"
        let field = "&f {id: f, type: choice, label: x, labelEn: x, choices: \(choices)}"
        let text = procedureText().replacingOccurrences(of: "- code:", with: "- &p\n  code:")
            + "  eform: [\(field)\(String(repeating: ", *f", count: 999))]\n"
            + String(repeating: "- *p\n", count: 1_000)

        #expect(problems(text).map { $0.hasSuffix("yaml_aliases") } == [true])
    }

    @Test func aMisspeltKeyIsReportedWhereItIs() {
        let text = procedureText("""
              eform:
                - id: authorised
                  type: yesno
                  label: "Ủy quyền?"
                  labelEn: "Authorised?"
                  requried: false
            """)

        #expect(problems(text) == ["[0].eform[0].requried 20:7 unknown_key"])
    }

    @Test func wrongTypesMissingKeysAndBadValuesPointAtTheirLines() {
        let wrongType = procedureText().replacingOccurrences(of: "processingDays: 1", with: "processingDays: ba")
        let missing = procedureText().replacingOccurrences(of: "  nameEn: \"Birth registration\"\n", with: "")
        let badLevel = procedureText().replacingOccurrences(of: "level: \"commune\"", with: "level: \"town\"")
        let badCutoff = procedureText("  receptionCutoff: \"25:00\"")

        #expect(problems(wrongType) == ["[0].processingDays 8:19 wrong_type"])
        #expect(problems(missing) == ["[0] 1:3 missing_key"])
        #expect(problems(badLevel) == ["[0].level 6:10 invalid_value"])
        #expect(problems(badCutoff) == ["[0].receptionCutoff 15:20 invalid_value"])
    }

    @Test func conditionsAreCheckedAgainstTheEForm() {
        let text = procedureText("""
              eform:
                - id: authorised
                  type: yesno
                  label: "Ủy quyền?"
                  labelEn: "Authorised?"
                - id: authoriserName
                  type: text
                  label: "Người ủy quyền"
                  labelEn: "Authoriser"
                  askedWhen: {field: authorised, equals: maybe}
            """).replacingOccurrences(of: "      condition: null", with: "      condition: null\n      requiredWhen: {field: authorized, equals: yes}")

        #expect(problems(text) == [
            "[0].documents[0].requiredWhen.field 15:29 unknown_answer_field",
            "[0].eform[1].askedWhen 25:18 unknown_answer",
        ])
    }

    @Test func unquotedYesIsTheAnswerYes() throws {
        let text = procedureText("""
              eform:
                - {id: authorised, type: yesno, label: "Ủy quyền?", labelEn: "Authorised?"}
            """).replacingOccurrences(of: "      condition: null", with: "      condition: null\n      requiredWhen: {field: authorised, equals: yes}")

        let procedures = try ProcedureFile.decode(text, file: "test.yaml")

        #expect(procedures[0].documents[0].requiredWhen == AnswerCondition(field: "authorised", equals: "yes"))
    }

    @Test func everyProblemOfTheFileIsReportedAtOnceInLineOrder() {
        let text = procedureText() + "\n" + procedureText(code: "1.001193", "  colour: red")
            .replacingOccurrences(of: "serviceId: \"A\"", with: "serviceId: \"Z\"")
            .replacingOccurrences(of: "processingDays: 1", with: "processingDays: -1")

        #expect(problems(text, serviceIds: ["A", "B", "C"]) == [
            "[1].code 16:9 duplicate_code", "[1].serviceId 22:14 unknown_service", "[1].processingDays 23:19 negative",
            "[1].colour 30:3 unknown_key",
        ])
    }

    @Test func aProblemPrintsAsFileLineColumnPathAndMessage() {
        do {
            _ = try ProcedureFile.decode(procedureText(code: ""), file: "procedures.yaml")
            Issue.record("an empty code was accepted")
        } catch {
            #expect(error.description == "procedures.yaml:1:9: [0].code: The procedure code must not be empty or contain spaces.")
            #expect(error.problems[0].vi == "Mã thủ tục không được trống hay có dấu cách.")
        }
    }

    @Test func emptyFilesOtherShapesAndMissingFilesAreRefused() {
        #expect(problems("") == [" 1:1 empty"])
        #expect(problems("# only a comment\n") == [" 1:1 empty"])
        #expect(problems("code: \"1.001193\"\n") == [" 1:1 wrong_type"])
        do {
            _ = try ProcedureFile.load(contentsOf: URL(fileURLWithPath: "/nonexistent/procedures.yaml"))
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.problems.map(\.code) == ["unreadable"])
        }
    }
}
