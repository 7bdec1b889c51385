import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import Testing

/// The real server under load (tickets and bookings from many clients at once), killed with
/// SIGKILL at a random moment, restarted, again and again. Afterwards the database is whole,
/// everything acknowledged is there, no number was issued twice, and every ticket has its
/// outbox event.
@Suite(.serialized) struct CrashSafetyTests {
    typealias Node = SyncEndToEndTests.Node

    /// What the clients were told: 201s only.
    final class Acknowledged: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var tickets: [Int64: String] = [:]
        private(set) var bookings: Set<String> = []

        func ticket(_ id: Int64, _ number: String) { lock.withLock { tickets[id] = number } }
        func booking(_ code: String) { lock.withLock { _ = bookings.insert(code) } }
    }

    @Test func killedUnderLoadItLosesNothingAcknowledgedAndRepeatsNoNumber() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let node = Node(name: "standalone", directory: directory, port: try SyncEndToEndTests.freePort(), arguments: [])
        try await node.start()
        let acknowledged = Acknowledged()
        var generator = SystemRandomNumberGenerator()
        let rounds = 6

        for round in 0..<rounds {
            let slots = try await Self.slots(node)
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for client in 0..<16 {
                        let person = round * 100 + client
                        group.addTask { await Self.work(node, client: client, person: person, slots: slots, into: acknowledged) }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...900, using: &generator)))
            await node.kill()
            load.cancel()
            _ = await load.value
            try await node.start()
        }
        await node.stop()

        let (integrity, tickets, numbers, events, bookings) = try node.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, number FROM ticket").map { ($0["id"] as Int64, $0["number"] as String) }),
                try Int.fetchOne(db, sql: "SELECT count(*) - count(DISTINCT serviceId || day || number) FROM ticket"),
                try Set(Int64.fetchAll(db, sql: "SELECT json_extract(payload, '$.ticketId') FROM outbox WHERE kind = 'ticket.issued'")),
                try Set(String.fetchAll(db, sql: "SELECT code FROM booking"))
            )
        }
        #expect(integrity == "ok")
        #expect(acknowledged.tickets.count > rounds * 10, "the load was real: \(acknowledged.tickets.count) tickets acknowledged")
        #expect(!acknowledged.bookings.isEmpty)
        for (id, number) in acknowledged.tickets { #expect(tickets[id] == number, "acknowledged ticket \(id) \(number)") }
        #expect(acknowledged.bookings.isSubset(of: bookings), "every acknowledged booking is on disk")
        #expect(numbers == 0, "no number issued twice")
        #expect(events == Set(tickets.keys), "every ticket has its outbox event, and no event is without its ticket")
    }

    /// Service A's slots of the coming week but today (whatever the day, some are working days).
    static func slots(_ node: Node) async throws -> [Int] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let days = [1, 7].map { offset in
            let parts = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(86_400 * Double(offset)))
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        let list = try await SyncEndToEndTests.getJSON("\(node.base)/api/v1/slots?service=A&from=\(days[0])&to=\(days[1])") as? [[String: Any]] ?? []
        return list.compactMap { $0["id"] as? Int }
    }

    /// One client: a ticket, a booking, a ticket… until the server dies under it.
    static func work(_ node: Node, client: Int, person: Int, slots: [Int], into acknowledged: Acknowledged) async {
        var n = 0
        while !Task.isCancelled {
            n += 1
            do {
                if n % 3 == 0, !slots.isEmpty {
                    let id = person * 1_000 + n
                    let (status, body) = try await post("\(node.base)/api/v1/bookings", body: """
                        {"slotId": \(slots[(client + n) % slots.count]), "citizen": {"fullName": "Nguyễn Văn An", \
                        "idNumber": "0012\(String(format: "%08d", id % 100_000_000))", "phone": "091\(String(format: "%07d", id % 10_000_000))"}}
                        """)
                    if status == 201, let code = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["code"] as? String {
                        acknowledged.booking(code.replacingOccurrences(of: "-", with: ""))
                    }
                } else {
                    let (status, body) = try await post("\(node.base)/api/v1/tickets", body: #"{"serviceId": "A"}"#)
                    if status == 201, let ticket = try JSONSerialization.jsonObject(with: body) as? [String: Any],
                       let id = ticket["id"] as? Int, let number = ticket["number"] as? String {
                        acknowledged.ticket(Int64(id), number)
                    }
                }
            } catch {
                return  // the server is gone: this round is over for this client
            }
        }
    }

    /// AsyncHTTPClient here, not URLSession: on Linux a URLSession request cut by the
    /// server's death can hang past its timeout, and this test kills the server on purpose.
    static func post(_ url: String, body: String) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let answer = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Data(answer.readableBytesView))
    }
}
