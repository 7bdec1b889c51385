/// Who a caller is to Motcua. A bearer token or a console session carries exactly one role.
public enum Role: String, CaseIterable, Codable, Sendable {
    /// Centre manager: capacity, closures, holidays, reports, tokens.
    case manager
    /// Counter officer: calls, recalls, finishes tickets.
    case officer
    /// Hall or counter display: reads the queue, fetches announcements.
    case display
    /// Self-service kiosk device.
    case kiosk
    /// A site node pushing its events to the centre.
    case site
}
