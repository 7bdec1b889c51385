import Foundation
import Testing
@testable import MotcuaCore

private func field(
    _ id: String, _ type: EFormField.Kind, required: Bool = true, pattern: String? = nil, choices: [String] = [],
    source: IdentityCardField? = nil, askedWhen: AnswerCondition? = nil
) -> EFormField {
    EFormField(
        id: id, type: type, required: required, pattern: pattern,
        choices: choices.map { EFormField.Choice(value: $0, label: $0, labelEn: $0) },
        label: "Nhãn \(id)", labelEn: "Label \(id)", source: source, askedWhen: askedWhen
    )
}

/// The kept answer, or the rejection's code.
private func normalised(_ field: EFormField, _ raw: String) -> String? {
    switch field.normalisedAnswer(raw, referenceYear: 2026) {
    case .success(let value): value
    case .failure(let rejection): "!" + rejection.code
    }
}

@Suite struct EFormAnswerTests {
    @Test(arguments: [
        ("03/02/2027", "2027-02-03"), ("3/2/2027", "2027-02-03"), ("2027-02-03", "2027-02-03"),
        ("30/02/2027", "!answer_date"), ("2027-2-3", "!answer_date"), ("03-02-2027", "!answer_date"), ("03/02/27", "!answer_date"),
    ])
    func datesAreKeptAsISO(typed: String, kept: String) {
        #expect(normalised(field("d", .date), typed) == kept)
    }

    @Test(arguments: [
        ("12", "12"), ("1,5", "1.5"), ("0.25", "0.25"), ("-3", "!answer_number"), ("1.2.3", "!answer_number"),
        ("12a", "!answer_number"), ("１２", "!answer_number"), ("1234567890123456", "!answer_number"),
    ])
    func numbersAreDigitsWithOneDecimalSeparator(typed: String, kept: String) {
        #expect(normalised(field("n", .number), typed) == kept)
    }

    @Test func yesNoChoiceIdNumberAndPhoneAreNormalised() {
        #expect(normalised(field("y", .yesno), " YES ") == "yes")
        #expect(normalised(field("y", .yesno), "có") == "!answer_yes_no")
        #expect(normalised(field("c", .choice, choices: ["own", "rented"]), "rented") == "rented")
        #expect(normalised(field("c", .choice, choices: ["own", "rented"]), "Rented") == "!answer_choice")
        #expect(normalised(field("i", .idNumber), "001 203 012 345") == "001203012345")
        #expect(normalised(field("i", .idNumber), "097203012345") == "!id_number_province")
        #expect(normalised(field("p", .phone), "+84 912 345 678") == "0912345678")
        #expect(normalised(field("p", .phone), "024 3825 1234") == "!phone_landline")
    }

    @Test func textIsComposedCollapsedAndChecked() {
        let text = field("t", .text)

        #expect(normalised(text, "  Nguye\u{0302}\u{0303}n   Văn\tAn ").map { Array($0.unicodeScalars) } == Array("Nguyễn Văn An".unicodeScalars))
        #expect(normalised(text, "a\u{0}b") == "!answer_characters")
        #expect(normalised(text, "a\u{202E}b") == "!answer_characters")
        #expect(normalised(text, String(repeating: "ư", count: EFormField.maximumTextLength)) != "!answer_too_long")
        #expect(normalised(text, String(repeating: "ư", count: EFormField.maximumTextLength + 1)) == "!answer_too_long")
    }

    @Test func thePatternMustMatchTheWholeNormalisedAnswer() {
        let business = field("b", .text, pattern: "(?i)hộ kinh doanh .+")
        let copies = field("c", .number, pattern: "[0-9]{1,2}")

        #expect(normalised(business, "Hộ  kinh doanh Hoa Mai") == "Hộ kinh doanh Hoa Mai")
        #expect(normalised(business, "Cửa hàng Hoa Mai") == "!answer_pattern")
        #expect(normalised(copies, "12") == "12")
        #expect(normalised(copies, "123") == "!answer_pattern")
    }

    @Test func blankIsRefusedWhenRequiredAndNoAnswerOtherwise() {
        #expect(normalised(field("t", .text), " \n") == "!answer_required")
        #expect(normalised(field("t", .text, required: false), " \n") == nil)
    }
}

@Suite struct ProcedureCodingTests {
    /// A procedure as the store kept it before the wizard: no e-form, no result delivery, no
    /// requiredWhen.
    static let stored = #"""
        {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "nameEn": "Certified copy", "field": "Chứng thực",
         "agency": "Ủy ban nhân dân cấp xã", "level": "commune", "serviceId": "A", "processingDays": 0,
         "receptionCutoff": "15:00", "fees": [{"name": "Phí", "amount": 2000}],
         "documents": [{"name": "Bản chính", "originals": 1, "copies": 0, "condition": null}], "source": null}
        """#

    @Test func aProcedureStoredBeforeTheWizardStillDecodes() throws {
        let procedure = try JSONDecoder().decode(Procedure.self, from: Data(Self.stored.utf8))

        #expect(procedure.eform.isEmpty)
        #expect(procedure.resultDelivery == [.desk])
        #expect(procedure.documents[0].requiredWhen == nil)
        #expect(procedure.receptionCutoff == TimeOfDay("15:00"))
    }

    @Test func theWizardsPartsSurviveARoundTrip() throws {
        var procedure = try JSONDecoder().decode(Procedure.self, from: Data(Self.stored.utf8))
        procedure.eform = [field("authorised", .yesno), field("kind", .choice, choices: ["a", "b"], askedWhen: .init(field: "authorised", equals: "yes"))]
        procedure.documents[0].requiredWhen = AnswerCondition(field: "kind", values: ["a", "b"])
        procedure.resultDelivery = [.post, .desk]

        let decoded = try JSONDecoder().decode(Procedure.self, from: JSONEncoder().encode(procedure))

        #expect(decoded == procedure)
    }

    @Test func conditionsReadEqualsOrOneOfAndNeverBoth() throws {
        let decoder = JSONDecoder()

        let single = try decoder.decode(AnswerCondition.self, from: Data(#"{"field": "authorised", "equals": "yes"}"#.utf8))
        let list = try decoder.decode(AnswerCondition.self, from: Data(#"{"field": "case", "oneOf": ["a", "b"]}"#.utf8))
        let written = String(decoding: try JSONEncoder().encode(single), as: UTF8.self)

        #expect(single == AnswerCondition(field: "authorised", values: ["yes"]))
        #expect(list.values == ["a", "b"])
        #expect(written.contains(#""equals":"yes""#))
        #expect(throws: DecodingError.self) { try decoder.decode(AnswerCondition.self, from: Data(#"{"field": "a", "equals": "x", "oneOf": ["y"]}"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode(AnswerCondition.self, from: Data(#"{"field": "a"}"#.utf8)) }
    }

    @Test func aFieldIsRequiredUnlessItSaysOtherwise() throws {
        let json = #"{"id": "note", "type": "text", "label": "Ghi chú", "labelEn": "Note"}"#

        let decoded = try JSONDecoder().decode(EFormField.self, from: Data(json.utf8))

        #expect(decoded.required)
        #expect(decoded.choices.isEmpty && decoded.source == nil && decoded.askedWhen == nil)
    }
}

@Suite struct CatalogProblemTests {
    static func procedure(_ code: String, eform: [EFormField] = [], documents: [Procedure.Document] = []) -> Procedure {
        Procedure(
            code: code, name: "Thủ tục \(code)", nameEn: "Procedure \(code)", field: "Hộ tịch", agency: "UBND cấp xã",
            level: .commune, serviceId: "A", processingDays: 1, fees: [],
            documents: documents.isEmpty ? [.init(name: "Tờ khai", originals: 1, copies: 0)] : documents, source: nil, eform: eform
        )
    }

    private func problems(_ procedures: [Procedure], serviceIds: Set<String>? = nil) -> [String] {
        ProcedureCatalog.problems(in: procedures, serviceIds: serviceIds).map { "\($0.path.map(\.description).joined()) \($0.code)" }
    }

    @Test func aSoundProcedureHasNoProblem() {
        let eform = [
            field("authorised", .yesno), field("name", .text, source: .fullName),
            field("gender", .choice, choices: ["male", "female"], source: .gender),
            field("authoriser", .text, askedWhen: .init(field: "authorised", equals: "yes")),
        ]
        let documents = [Procedure.Document(name: "Văn bản ủy quyền", originals: 1, copies: 0, requiredWhen: .init(field: "authorised", equals: "yes"))]

        #expect(problems([Self.procedure("1.001193", eform: eform, documents: documents)], serviceIds: ["A"]).isEmpty)
    }

    @Test func conditionsMustLookAtAnEarlierChoiceAndAPossibleAnswer() {
        let eform = [
            field("note", .text),
            field("a", .text, askedWhen: .init(field: "later", equals: "yes")),
            field("b", .text, askedWhen: .init(field: "note", equals: "x")),
            field("later", .yesno),
            field("c", .text, askedWhen: .init(field: "later", equals: "maybe")),
        ]
        let documents = [Procedure.Document(name: "X", originals: 1, copies: 0, requiredWhen: .init(field: "missing", equals: "yes"))]

        #expect(problems([Self.procedure("1", eform: eform, documents: documents)]) == [
            "[0].documents[0].requiredWhen.field unknown_answer_field",
            "[0].eform[1].askedWhen.field unknown_answer_field",
            "[0].eform[2].askedWhen.field condition_on_kind",
            "[0].eform[4].askedWhen unknown_answer",
        ])
    }

    @Test func fieldsAreCheckedOneByOne() {
        let eform = [
            field("Bad id", .text),
            field("dup", .text), field("dup", .text),
            field("pick", .choice),
            field("note", .text, choices: ["x"]),
            field("when", .date, pattern: "[0-9]+"),
            field("regex", .text, pattern: "("),
            field("who", .date, source: .fullName),
            field("sex", .choice, choices: ["m", "f"], source: .gender),
        ]

        #expect(problems([Self.procedure("1", eform: eform)]) == [
            "[0].eform[0].id bad_field_id", "[0].eform[2].id duplicate_field_id", "[0].eform[3].choices no_choices",
            "[0].eform[4].choices choices_on_non_choice", "[0].eform[5].pattern pattern_on_kind", "[0].eform[6].pattern bad_pattern",
            "[0].eform[7].source source_kind", "[0].eform[8].choices gender_choices",
        ])
    }

    @Test func catalogWideChecks() {
        var second = Self.procedure("1.001193")
        second.serviceId = "Z"
        second.resultDelivery = []
        second.documents = [.init(name: "A", originals: 0, copies: 0), .init(name: "A", originals: 1, copies: 0)]

        #expect(problems([Self.procedure("1.001193"), second], serviceIds: ["A"]) == [
            "[1].code duplicate_code", "[1].serviceId unknown_service", "[1].documents[0] document_count",
            "[1].documents[1].name duplicate_document", "[1].resultDelivery no_result_delivery",
        ])
    }
}
