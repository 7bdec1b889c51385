/// Where a dossier stands after the kiosk: prepared there, then judged at the counter.
///
/// An officer receives a complete dossier (and prints the receipt form), asks for a
/// supplement when something is missing or wrong (the citizen comes back with it, and the
/// dossier is received then), or refuses one the agency cannot take. Received and refused
/// are final here: what happens next belongs to the agency's own system.
public enum DossierStatus: String, Codable, Sendable, CaseIterable {
    case prepared
    case received
    case supplementRequested = "supplement_requested"
    case refused

    /// The statuses an officer may move a dossier to from this one.
    public var next: Set<DossierStatus> {
        switch self {
        case .prepared, .supplementRequested: [.received, .supplementRequested, .refused]
        case .received, .refused: []
        }
    }

    /// What a citizen looking up the dossier reads.
    public var vi: String {
        switch self {
        case .prepared: "Đã chuẩn bị, chờ nộp tại quầy"
        case .received: "Đã tiếp nhận, đang giải quyết"
        case .supplementRequested: "Cần bổ sung, hoàn thiện hồ sơ"
        case .refused: "Từ chối tiếp nhận"
        }
    }

    public var en: String {
        switch self {
        case .prepared: "Prepared, waiting to be submitted at the counter"
        case .received: "Received, being processed"
        case .supplementRequested: "Needs a supplement"
        case .refused: "Refused"
        }
    }
}
