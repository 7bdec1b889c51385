import Foundation
@testable import MotcuaCore

/// Real procedures as the demo catalog has them, cut to what the wizard tests look at
/// (MotcuaStoreTests walks the catalog file itself).
enum DossierFixtures {
    static let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static func at(_ iso: String) -> Date {
        try! Date(iso, strategy: .iso8601)
    }

    /// A man born 2003 and a woman born 1985, as their chip ID cards' QR codes read.
    static let manCard = "001203012345||Nguyễn Văn An|15032003|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021"
    static let womanCard = "079185012345|023456789|Trần Thị Bích Ngọc|02091985|Nữ|123/4 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|10072022"

    static func field(
        _ id: String, _ type: EFormField.Kind, _ label: String, required: Bool = true, pattern: String? = nil,
        choices: [String] = [], source: IdentityCardField? = nil, askedWhen: AnswerCondition? = nil
    ) -> EFormField {
        EFormField(
            id: id, type: type, required: required, pattern: pattern,
            choices: choices.map { EFormField.Choice(value: $0, label: $0, labelEn: $0) },
            label: label, labelEn: "\(id) (en)", source: source, askedWhen: askedWhen
        )
    }

    static func document(_ name: String, originals: Int = 1, copies: Int = 0, condition: String? = nil, when: AnswerCondition? = nil) -> Procedure.Document {
        Procedure.Document(name: name, originals: originals, copies: copies, condition: condition, requiredWhen: when)
    }

    static func procedure(
        _ code: String, _ name: String, days: Int, cutoff: String? = nil, documents: [Procedure.Document],
        eform: [EFormField], delivery: [Procedure.ResultDelivery] = [.desk, .post]
    ) -> Procedure {
        Procedure(
            code: code, name: name, nameEn: name, field: "Hộ tịch", agency: "Ủy ban nhân dân cấp xã", level: .commune,
            serviceId: "A", processingDays: days, receptionCutoff: cutoff.flatMap(TimeOfDay.init), fees: [],
            documents: documents, source: nil, eform: eform, resultDelivery: delivery
        )
    }

    static let authorised = field("authorised", .yesno, "Anh/chị đi đăng ký theo ủy quyền của người khác?")
    static let authoriserName = field(
        "authoriserName", .text, "Họ, chữ đệm, tên người ủy quyền", askedWhen: .init(field: "authorised", equals: "yes")
    )
    static let authorisation = document(
        "Văn bản ủy quyền (được chứng thực)", condition: "Trường hợp ủy quyền cho người khác.", when: .init(field: "authorised", equals: "yes")
    )

    static let birthRegistration = procedure(
        "1.001193", "Thủ tục đăng ký khai sinh", days: 1,
        documents: [
            document("Tờ khai đăng ký khai sinh theo mẫu"),
            document("Giấy chứng sinh", when: .init(field: "birthCase", values: ["ordinary", "surrogacy"])),
            document("Biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập",
                     condition: "Trường hợp đăng ký khai sinh cho trẻ em bị bỏ rơi.", when: .init(field: "birthCase", equals: "abandoned")),
            document("Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ",
                     condition: "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ.", when: .init(field: "birthCase", equals: "surrogacy")),
            authorisation,
            document("Giấy tờ tùy thân của người đi đăng ký – xuất trình"),
            document("Giấy tờ chứng minh thông tin về cư trú – xuất trình",
                     condition: "Trường hợp không khai thác được thông tin cư trú từ Cơ sở dữ liệu quốc gia về dân cư."),
        ],
        eform: [
            field("requesterName", .text, "Họ, chữ đệm, tên người yêu cầu", source: .fullName),
            field("requesterIdNumber", .idNumber, "Số định danh cá nhân của người yêu cầu", source: .idNumber),
            field("requesterAddress", .text, "Nơi cư trú của người yêu cầu", source: .address),
            field("childName", .text, "Họ, chữ đệm, tên của trẻ"),
            field("childBirthDate", .date, "Ngày, tháng, năm sinh của trẻ"),
            field("childGender", .choice, "Giới tính của trẻ", choices: ["male", "female"]),
            field("birthCase", .choice, "Trường hợp khai sinh", choices: ["ordinary", "abandoned", "surrogacy"]),
            authorised, authoriserName,
            field("copies", .number, "Số bản sao Giấy khai sinh đề nghị cấp", required: false, pattern: "[0-9]{1,2}"),
        ]
    )

    static let marriage = procedure(
        "1.000894", "Thủ tục đăng ký kết hôn", days: 1,
        documents: [
            document("Tờ khai đăng ký kết hôn theo mẫu"),
            document("Giấy tờ tùy thân của bên nam và bên nữ – xuất trình", originals: 2),
        ],
        eform: [
            field("applicantGender", .choice, "Giới tính", choices: ["male", "female"], source: .gender),
            field("applicantName", .text, "Họ, chữ đệm, tên của anh/chị", source: .fullName),
            field("applicantBirthDate", .date, "Ngày, tháng, năm sinh", source: .birthDate),
            field("applicantIdNumber", .idNumber, "Số định danh cá nhân của anh/chị", source: .idNumber),
            field("applicantAddress", .text, "Nơi cư trú của anh/chị", source: .address),
            field("partnerName", .text, "Họ, chữ đệm, tên của bên kia"),
            field("partnerBirthDate", .date, "Ngày, tháng, năm sinh của bên kia"),
            field("partnerIdNumber", .idNumber, "Số định danh cá nhân của bên kia"),
        ],
        delivery: [.desk]
    )

    static let civilStatusCopy = procedure(
        "2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", days: 0, cutoff: "15:00",
        documents: [
            document("Tờ khai đề nghị cấp bản sao Trích lục hộ tịch theo mẫu"),
            document("Văn bản ủy quyền", condition: "Trường hợp ủy quyền cho người khác nộp hồ sơ.", when: .init(field: "authorised", equals: "yes")),
            document("Giấy tờ tùy thân của người yêu cầu – xuất trình"),
        ],
        eform: [
            field("requesterName", .text, "Họ, chữ đệm, tên người yêu cầu", source: .fullName),
            field("requesterIdNumber", .idNumber, "Số định danh cá nhân của người yêu cầu", source: .idNumber),
            field("recordKind", .choice, "Giấy tờ hộ tịch cần cấp bản sao", choices: ["birth", "marriage", "death", "other"]),
            field("copies", .number, "Số bản sao đề nghị cấp", pattern: "[1-9][0-9]?"),
            authorised, authoriserName,
        ],
        delivery: [.desk, .post, .online]
    )

    static let permanentResidence = procedure(
        "1.004222", "Đăng ký thường trú", days: 7,
        documents: [
            document("Tờ khai thay đổi thông tin cư trú (mẫu CT01)"),
            document("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", condition: "Chỗ ở thuộc quyền sở hữu của mình.",
                     when: .init(field: "residenceBasis", equals: "own")),
            document("Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ", condition: "Về ở với người thân.",
                     when: .init(field: "residenceBasis", equals: "family")),
            document("Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ", condition: "Chỗ ở thuê, mượn, ở nhờ.",
                     when: .init(field: "residenceBasis", equals: "rented")),
        ],
        eform: [
            field("applicantName", .text, "Họ, chữ đệm, tên người đăng ký", source: .fullName),
            field("applicantIdNumber", .idNumber, "Số định danh cá nhân", source: .idNumber),
            field("newAddress", .text, "Địa chỉ đề nghị đăng ký thường trú"),
            field("residenceBasis", .choice, "Chỗ ở đăng ký thường trú là", choices: ["own", "family", "rented"]),
            field("householdHeadName", .text, "Họ, chữ đệm, tên chủ hộ", askedWhen: .init(field: "residenceBasis", values: ["family", "rented"])),
        ],
        delivery: [.desk, .online]
    )

    /// No e-form: the wizard skips that step.
    static let certifiedCopy = procedure(
        "2.000815", "Chứng thực bản sao từ bản chính", days: 0, cutoff: "15:00",
        documents: [document("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao – xuất trình")],
        eform: [], delivery: [.desk]
    )

    static let wizard = DossierWizard(
        catalog: ProcedureCatalog([birthRegistration, marriage, civilStatusCopy, permanentResidence, certifiedCopy]),
        timeZone: saigon, agencyCode: "000.00.01.H22"
    )

    static let code = DraftCode(compact: "K7MQ3XHP")!
}
