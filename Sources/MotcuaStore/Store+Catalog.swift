import Foundation
import GRDB
import MotcuaCore

extension Service: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "service"
}

extension Procedure: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "procedure"
}

extension Slot: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "slot"
    /// Every read of a slot selects these columns in this order, so rows are decoded by
    /// position: searches decode hundreds of rows and the Codable path cost more than the query.
    static let columns = #"id, serviceId, start, "end", capacity, booked"#
    public static var databaseSelection: [any SQLSelectable] { [SQL(sql: columns)] }

    public init(row: Row) throws {
        self.init(
            id: row[0], serviceId: row[1], start: try row.storedDate(atIndex: 2), end: try row.storedDate(atIndex: 3),
            capacity: row[4], booked: row[5]
        )
    }
}

struct CounterRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "counter"
    var id: Int
    var name: String
    var isOpen: Bool
}

struct CounterServiceRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "counterService"
    var counterId: Int
    var serviceId: String
}

extension Store {
    public func services() async throws -> [Service] {
        try await read { db in
            try Service.order(Column("position"), Column("id")).fetchAll(db)
        }
    }

    public func procedures() async throws -> [Procedure] {
        try await read { db in try Procedure.order(Column("code")).fetchAll(db) }
    }

    public func counters() async throws -> [Counter] {
        try await read { db in try Self.counters(db) }
    }

    static func counters(_ db: Database) throws -> [Counter] {
        let links = try CounterServiceRow.fetchAll(db)
        let servicesByCounter = Dictionary(grouping: links, by: \.counterId)
        return try CounterRow.order(Column("id")).fetchAll(db).map { row in
            Counter(
                id: row.id,
                name: row.name,
                serviceIds: servicesByCounter[row.id, default: []].map(\.serviceId).sorted(),
                isOpen: row.isOpen
            )
        }
    }

    /// Opens or closes a counter; returns nil when there is no such counter.
    public func setCounter(_ id: Int, open: Bool) async throws -> Counter? {
        try await write { db in
            guard var row = try CounterRow.fetchOne(db, key: id) else { return nil }
            row.isOpen = open
            try row.update(db)
            return try Self.counters(db).first { $0.id == id }
        }
    }

    /// Slots of a service starting in [from, to), earliest first.
    public func slots(serviceId: String, from: Date, to: Date) async throws -> [Slot] {
        try await read { db in
            try Slot
                .filter(Column("serviceId") == serviceId && Column("start") >= from && Column("start") < to)
                .order(Column("start"))
                .fetchAll(db)
        }
    }
}

extension Database {
    func insert(_ counter: Counter) throws {
        try CounterRow(id: counter.id, name: counter.name, isOpen: counter.isOpen).insert(self)
        for serviceId in counter.serviceIds {
            try CounterServiceRow(counterId: counter.id, serviceId: serviceId).insert(self)
        }
    }
}
