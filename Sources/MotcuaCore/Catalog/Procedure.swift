import Foundation

/// An administrative procedure (thủ tục hành chính) as the national procedure database
/// describes it: what to bring, how long it takes, what it costs; and, for the kiosk's
/// dossier wizard, the e-form to fill in and how the result can be received.
public struct Procedure: Codable, Sendable, Equatable {
    /// Administrative level of the agency that receives the dossier.
    public enum Level: String, Codable, Sendable {
        case commune
        case district
        case province
    }

    public struct Fee: Codable, Sendable, Equatable {
        public var name: String
        /// Amount in VND.
        public var amount: Int
        public var note: String?
    }

    /// A dossier component (thành phần hồ sơ).
    public struct Document: Codable, Sendable, Equatable {
        public var name: String
        public var originals: Int
        public var copies: Int
        /// When the document is needed only in some cases, in the database's words ("Trường
        /// hợp ủy quyền cho người khác…"). Shown to the citizen; the wizard does not read it.
        public var condition: String?
        /// The same case as an e-form answer the wizard can check (`authorised` is `yes`): the
        /// document is on the dossier's checklist only while it holds. Nil: always listed.
        public var requiredWhen: AnswerCondition?
    }

    /// How the citizen can receive the result (Đăng ký nhận kết quả tại: …).
    public enum ResultDelivery: String, Codable, Sendable, CaseIterable {
        /// At the one-stop desk (tại Bộ phận Một cửa).
        case desk
        /// By public postal service (qua dịch vụ bưu chính công ích), to the applicant's address.
        case post
        /// As an electronic result on the public service portal.
        case online
    }

    /// National database code, e.g. "1.001193".
    public var code: String
    public var name: String
    public var nameEn: String
    /// Lĩnh vực.
    public var field: String
    public var agency: String
    public var level: Level
    /// The submission service whose counters receive this procedure: a "submit now" dossier
    /// gets a ticket of this service, a "book a slot" one books its slots.
    public var serviceId: String
    /// Statutory processing time in working days.
    public var processingDays: Int
    /// A dossier received at or after this local time counts as received the next working
    /// day (some procedures use 15:00). Nil when the procedure has no such rule.
    public var receptionCutoff: TimeOfDay?
    public var fees: [Fee]
    public var documents: [Document]
    /// Where the data came from, for whoever maintains the catalog.
    public var source: String?
    /// The e-form (tờ khai) the wizard asks, in order. Empty: the procedure has no e-form yet
    /// and the wizard goes from the applicant straight to the documents.
    public var eform: [EFormField] = []
    /// The ways the result can be received, the first being the default offered.
    public var resultDelivery: [ResultDelivery] = [.desk]

    /// The due date (ngày hẹn trả) of a dossier of this procedure received at `receivedAt`,
    /// with this procedure's processing time and reception cut-off.
    public func dueDate(receivedAt: Date, calendar: WorkingCalendar, timeZone: TimeZone) -> LocalDate {
        calendar.dueDate(receivedAt: receivedAt, workingDays: processingDays, in: timeZone, cutoff: receptionCutoff)
    }

    /// The e-form field with this id, if the procedure asks it.
    public func eformField(_ id: String) -> EFormField? {
        eform.first { $0.id == id }
    }
}

extension Procedure {
    // Declared for the catalog file loader too, which reports keys it does not know.
    package enum CodingKeys: String, CodingKey, CaseIterable {
        case code, name, nameEn, field, agency, level, serviceId, processingDays, receptionCutoff, fees, documents, source
        case eform, resultDelivery
    }

    /// Catalog files and database rows written before the wizard have no e-form and no result
    /// delivery; they read as an empty e-form and delivery at the desk.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        nameEn = try container.decode(String.self, forKey: .nameEn)
        field = try container.decode(String.self, forKey: .field)
        agency = try container.decode(String.self, forKey: .agency)
        level = try container.decode(Level.self, forKey: .level)
        serviceId = try container.decode(String.self, forKey: .serviceId)
        processingDays = try container.decode(Int.self, forKey: .processingDays)
        receptionCutoff = try container.decodeIfPresent(TimeOfDay.self, forKey: .receptionCutoff)
        fees = try container.decode([Fee].self, forKey: .fees)
        documents = try container.decode([Document].self, forKey: .documents)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        eform = try container.decodeIfPresent([EFormField].self, forKey: .eform) ?? []
        resultDelivery = try container.decodeIfPresent([ResultDelivery].self, forKey: .resultDelivery) ?? [.desk]
    }
}

extension Procedure.Fee {
    package enum CodingKeys: String, CodingKey, CaseIterable {
        case name, amount, note
    }
}

extension Procedure.Document {
    package enum CodingKeys: String, CodingKey, CaseIterable {
        case name, originals, copies, condition, requiredWhen
    }
}
