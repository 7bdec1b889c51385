/// Something a citizen queues or books for: a submission service of the one-stop desk
/// (prefix A, B, C …) or a clinic department.
public struct Service: Codable, Sendable, Equatable, Identifiable {
    public enum Kind: String, Codable, Sendable {
        case submission
        case clinic
    }

    public var id: String
    public var name: String
    public var nameEn: String
    public var kind: Kind
    /// Ticket number prefix shown on screens and tickets ("A" in A012).
    public var prefix: String

    public init(id: String, name: String, nameEn: String, kind: Kind, prefix: String) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
        self.prefix = prefix
    }
}

/// A desk where an officer serves citizens of one or more services.
public struct Counter: Codable, Sendable, Equatable, Identifiable {
    public var id: Int
    public var name: String
    public var serviceIds: [String]
    public var isOpen: Bool

    public init(id: Int, name: String, serviceIds: [String], isOpen: Bool) {
        self.id = id
        self.name = name
        self.serviceIds = serviceIds
        self.isOpen = isOpen
    }
}
