/// An administrative procedure (thủ tục hành chính) as the national procedure database
/// describes it: what to bring, how long it takes, what it costs.
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

    public struct Document: Codable, Sendable, Equatable {
        public var name: String
        public var originals: Int
        public var copies: Int
        /// When the document is needed only in some cases ("if authorised by someone else").
        public var condition: String?
    }

    /// National database code, e.g. "1.001193".
    public var code: String
    public var name: String
    public var nameEn: String
    /// Lĩnh vực.
    public var field: String
    public var agency: String
    public var level: Level
    /// The submission service whose counters receive this procedure.
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
}
