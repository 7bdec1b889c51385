/// A mistake in catalog data that decoding cannot see: a condition on a question the e-form
/// does not ask, a duplicate code, a pattern that does not compile. Located by its path in
/// the list of procedures, so a file loader can turn it into a line number.
public struct CatalogProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
        case index(Int)
        case key(String)

        public var description: String {
            switch self {
            case .index(let index): "[\(index)]"
            case .key(let key): ".\(key)"
            }
        }
    }

    /// From the list of procedures down, e.g. `[2].eform[0].askedWhen.field`.
    public let path: [PathComponent]
    /// Stable, for tests and tools (`unknown_answer_field`).
    public let code: String
    public let vi: String
    public let en: String

    public var description: String { "\(path.map(\.description).joined()): \(en)" }
}

extension ProcedureCatalog {
    /// Every problem of `procedures`, in file order. An empty result means the wizard can
    /// run every procedure: each condition names a question asked before it and one of its
    /// answers, each autofilled field can hold what the ID card gives.
    ///
    /// - Parameter serviceIds: the site's submission services; nil skips that check.
    public static func problems(in procedures: [Procedure], serviceIds: Set<String>? = nil) -> [CatalogProblem] {
        var firstPosition: [String: Int] = [:]
        return procedures.enumerated().flatMap { index, procedure in
            var check = ProcedureCheck(procedure: procedure, path: [.index(index)])
            if let earlier = firstPosition[procedure.code] {
                check.report(.duplicateCode(earlierPosition: earlier + 1), at: [.key("code")])
            } else {
                firstPosition[procedure.code] = index
            }
            if let serviceIds, !serviceIds.contains(procedure.serviceId) {
                check.report(.unknownService(known: serviceIds.sorted()), at: [.key("serviceId")])
            }
            check.run()
            return check.problems
        }
    }
}

/// The checks of one procedure, collecting problems with their paths.
private struct ProcedureCheck {
    let procedure: Procedure
    let path: [CatalogProblem.PathComponent]
    private(set) var problems: [CatalogProblem] = []

    init(procedure: Procedure, path: [CatalogProblem.PathComponent]) {
        self.procedure = procedure
        self.path = path
    }

    mutating func report(_ message: CatalogMessage, at components: [CatalogProblem.PathComponent]) {
        problems.append(CatalogProblem(path: path + components, code: message.code, vi: message.vi, en: message.en))
    }

    mutating func run() {
        if procedure.code.isEmpty || procedure.code.contains(where: \.isWhitespace) { report(.badCode, at: [.key("code")]) }
        for (key, text) in [("name", procedure.name), ("nameEn", procedure.nameEn), ("field", procedure.field), ("agency", procedure.agency)]
        where text.allSatisfy(\.isWhitespace) {
            report(.blank, at: [.key(key)])
        }
        if procedure.processingDays < 0 { report(.negative, at: [.key("processingDays")]) }
        for (index, fee) in procedure.fees.enumerated() where fee.amount < 0 {
            report(.negative, at: [.key("fees"), .index(index), .key("amount")])
        }
        checkDocuments()
        checkEForm()
        if procedure.resultDelivery.isEmpty { report(.noResultDelivery, at: [.key("resultDelivery")]) }
        if Set(procedure.resultDelivery).count != procedure.resultDelivery.count { report(.repeated, at: [.key("resultDelivery")]) }
    }

    private mutating func checkDocuments() {
        var names = Set<String>()
        for (index, document) in procedure.documents.enumerated() {
            // The wizard keeps a document's tick by its name.
            if !names.insert(document.name).inserted { report(.duplicateDocument, at: [.key("documents"), .index(index), .key("name")]) }
            if document.originals < 0 || document.copies < 0 || document.originals + document.copies == 0 {
                report(.documentCount, at: [.key("documents"), .index(index)])
            }
            if let condition = document.requiredWhen {
                check(condition, askedBefore: procedure.eform[...], at: [.key("documents"), .index(index), .key("requiredWhen")])
            }
        }
    }

    private mutating func checkEForm() {
        var ids = Set<String>()
        for (index, field) in procedure.eform.enumerated() {
            let at: [CatalogProblem.PathComponent] = [.key("eform"), .index(index)]
            if !Self.isIdentifier(field.id) { report(.badFieldId, at: at + [.key("id")]) }
            if !ids.insert(field.id).inserted { report(.duplicateFieldId, at: at + [.key("id")]) }
            if field.label.allSatisfy(\.isWhitespace) { report(.blank, at: at + [.key("label")]) }
            if field.labelEn.allSatisfy(\.isWhitespace) { report(.blank, at: at + [.key("labelEn")]) }
            if field.type == .choice {
                if field.choices.isEmpty { report(.noChoices, at: at + [.key("choices")]) }
                if Set(field.choices.map(\.value)).count != field.choices.count { report(.repeated, at: at + [.key("choices")]) }
            } else if !field.choices.isEmpty {
                report(.choicesOnNonChoice, at: at + [.key("choices")])
            }
            if let pattern = field.pattern {
                if ![.text, .number].contains(field.type) {
                    report(.patternOnKind, at: at + [.key("pattern")])
                } else if !EFormField.compiles(pattern: pattern) {
                    report(.badPattern, at: at + [.key("pattern")])
                }
            }
            if let source = field.source {
                if field.type != source.fieldKind {
                    report(.sourceKind(source), at: at + [.key("source")])
                } else if source == .gender, !Set(field.choices.map(\.value)).isSuperset(of: ["male", "female"]) {
                    report(.genderChoices, at: at + [.key("choices")])
                }
            }
            if let condition = field.askedWhen {
                check(condition, askedBefore: procedure.eform[..<index], at: at + [.key("askedWhen")])
            }
        }
    }

    /// A condition may only look at a choice or yes/no question asked before it, and only
    /// for answers that question can have: anything else could never hold, or could hold
    /// for a reason the citizen never saw.
    private mutating func check(_ condition: AnswerCondition, askedBefore fields: ArraySlice<EFormField>, at: [CatalogProblem.PathComponent]) {
        guard let field = fields.first(where: { $0.id == condition.field }) else {
            report(.unknownAnswerField(condition.field), at: at + [.key("field")])
            return
        }
        let answers: [String]
        switch field.type {
        case .yesno: answers = ["yes", "no"]
        case .choice: answers = field.choices.map(\.value)
        default:
            report(.conditionOnKind, at: at + [.key("field")])
            return
        }
        if condition.values.isEmpty { report(.noConditionValues, at: at) }
        for value in condition.values where !answers.contains(value) {
            report(.unknownAnswer(value, allowed: answers), at: at)
        }
    }

    private static func isIdentifier(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

private struct CatalogMessage {
    let code: String
    let vi: String
    let en: String

    static func duplicateCode(earlierPosition: Int) -> CatalogMessage {
        CatalogMessage(
            code: "duplicate_code",
            vi: "Mã thủ tục trùng với thủ tục thứ \(earlierPosition) trong danh sách.",
            en: "The procedure code repeats that of procedure number \(earlierPosition) in the list.")
    }
    static func unknownService(known: [String]) -> CatalogMessage {
        CatalogMessage(
            code: "unknown_service",
            vi: "serviceId không phải dịch vụ tiếp nhận nào của điểm này (có: \(known.joined(separator: ", "))).",
            en: "serviceId is not one of this site's submission services (\(known.joined(separator: ", "))).")
    }
    static let badCode = CatalogMessage(
        code: "bad_code", vi: "Mã thủ tục không được trống hay có dấu cách.", en: "The procedure code must not be empty or contain spaces.")
    static let blank = CatalogMessage(code: "blank", vi: "Không được để trống.", en: "Must not be blank.")
    static let negative = CatalogMessage(code: "negative", vi: "Không được là số âm.", en: "Must not be negative.")
    static let repeated = CatalogMessage(code: "repeated", vi: "Có giá trị bị lặp lại.", en: "A value is repeated.")
    static let noResultDelivery = CatalogMessage(
        code: "no_result_delivery",
        vi: "Cần ít nhất một cách nhận kết quả (desk, post, online).",
        en: "At least one way to receive the result is needed (desk, post, online).")
    static let duplicateDocument = CatalogMessage(
        code: "duplicate_document",
        vi: "Hai thành phần hồ sơ của cùng thủ tục trùng tên.",
        en: "Two documents of the procedure have the same name.")
    static let documentCount = CatalogMessage(
        code: "document_count",
        vi: "Số bản chính và bản sao không được âm và phải có ít nhất một bản.",
        en: "Originals and copies must not be negative, and at least one is needed.")
    static let badFieldId = CatalogMessage(
        code: "bad_field_id",
        vi: "Mã câu hỏi phải bắt đầu bằng chữ thường và chỉ gồm chữ cái Latinh không dấu và chữ số (ví dụ childName).",
        en: "A field id must start with a lower-case letter and hold only ASCII letters and digits (e.g. childName).")
    static let duplicateFieldId = CatalogMessage(
        code: "duplicate_field_id", vi: "Mã câu hỏi bị trùng trong tờ khai.", en: "The field id repeats in the e-form.")
    static let noChoices = CatalogMessage(
        code: "no_choices", vi: "Câu hỏi dạng choice cần danh sách choices.", en: "A choice field needs its choices.")
    static let choicesOnNonChoice = CatalogMessage(
        code: "choices_on_non_choice",
        vi: "Chỉ câu hỏi dạng choice mới có choices.",
        en: "Only a choice field has choices.")
    static let patternOnKind = CatalogMessage(
        code: "pattern_on_kind",
        vi: "Chỉ câu hỏi dạng text hoặc number mới có pattern.",
        en: "Only text and number fields take a pattern.")
    static let badPattern = CatalogMessage(
        code: "bad_pattern", vi: "pattern không phải biểu thức chính quy hợp lệ.", en: "The pattern is not a valid regular expression.")
    static func sourceKind(_ source: IdentityCardField) -> CatalogMessage {
        CatalogMessage(
            code: "source_kind",
            vi: "Câu hỏi lấy \(source.rawValue) từ thẻ căn cước phải có type \(source.fieldKind.rawValue).",
            en: "A field filled with \(source.rawValue) from the ID card must have type \(source.fieldKind.rawValue).")
    }
    static let genderChoices = CatalogMessage(
        code: "gender_choices",
        vi: "Câu hỏi giới tính lấy từ thẻ căn cước phải có các lựa chọn male và female.",
        en: "A gender field filled from the ID card needs the choices male and female.")
    static func unknownAnswerField(_ id: String) -> CatalogMessage {
        CatalogMessage(
            code: "unknown_answer_field",
            vi: "Điều kiện dựa trên câu hỏi \(id), nhưng tờ khai không hỏi câu đó (hoặc hỏi sau chỗ này).",
            en: "The condition looks at field \(id), which the e-form does not ask (or asks only after this point).")
    }
    static let conditionOnKind = CatalogMessage(
        code: "condition_on_kind",
        vi: "Điều kiện chỉ được dựa trên câu hỏi dạng choice hoặc yesno.",
        en: "A condition may only look at a choice or yesno field.")
    static let noConditionValues = CatalogMessage(
        code: "no_condition_values", vi: "oneOf không được trống.", en: "oneOf must not be empty.")
    static func unknownAnswer(_ value: String, allowed: [String]) -> CatalogMessage {
        CatalogMessage(
            code: "unknown_answer",
            vi: "Điều kiện so với \"\(value)\", không phải câu trả lời có thể có (\(allowed.joined(separator: ", "))).",
            en: "The condition compares with \"\(value)\", which is not a possible answer (\(allowed.joined(separator: ", "))).")
    }
}
