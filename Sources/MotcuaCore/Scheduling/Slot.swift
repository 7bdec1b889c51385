import Foundation

/// A bookable window of a service or clinic department, with how many people it takes.
public struct Slot: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64
    public var serviceId: String
    public var start: Date
    public var end: Date
    public var capacity: Int
    public var booked: Int

    public init(id: Int64, serviceId: String, start: Date, end: Date, capacity: Int, booked: Int) {
        self.id = id
        self.serviceId = serviceId
        self.start = start
        self.end = end
        self.capacity = capacity
        self.booked = booked
    }

    public var available: Int { max(0, capacity - booked) }
}
