import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotcuaCore
import Testing
@testable import MotcuaServer

@Suite struct QueueEndpointTests {
    struct TicketItem: Decodable {
        let id: Int64
        let number: String
        let status: String
        let counterId: Int?
        let recalls: Int
        let position: Int?
        let estimatedWaitMinutes: Int?
        let rating: Int?
        let qr: String
    }
    struct CheckInItem: Decodable {
        struct Timing: Decodable { let outcome: String; let message: String }
        let ticket: TicketItem
        let checkIn: Timing
    }
    struct Status: Decodable {
        struct Line: Decodable { let id: String; let waiting: Int; let openCounters: Int; let estimatedWaitMinutes: Int? }
        struct CounterLine: Decodable { struct Serving: Decodable { let number: String }; let id: Int; let ticket: Serving? }
        struct Call: Decodable {
            struct Audio: Decodable { let url: String; let sequence: Int; let seconds: Double; let text: String }
            let number: String
            let counterName: String?
            let recalls: Int
            let announcement: Audio?
        }
        let services: [Line]
        let counters: [CounterLine]
        let recentCalls: [Call]
    }

    struct Statistics: Decodable {
        struct Durations: Decodable { let count: Int; let averageMinutes: Double?; let percentile90Minutes: Double? }
        struct Ratings: Decodable { let byScore: [String: Int]; let count: Int }
        struct Figures: Decodable {
            let serviceId: String?
            let counterId: Int?
            let tickets, waiting, served, noShows: Int
            let wait, serviceTime: Durations
            let ratings: Ratings
        }
        let services: [Figures]
        let counters: [Figures]
        let total: Figures
    }

    static func take(_ client: some TestClientProtocol, _ service: String, priority: String? = nil) async throws -> TicketItem {
        let body = priority.map { #"{"serviceId": "\#(service)", "priority": "\#($0)"}"# } ?? #"{"serviceId": "\#(service)"}"#
        let response = try await client.json("/api/v1/tickets", .post, body: body)
        #expect(response.status == .created)
        return try response.decoded(TicketItem.self)
    }

    @Test func aKioskTakesNumbersWithPositionAndEstimatedWait() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let first = try await Self.take(client, "A")
            let second = try await Self.take(client, "A")
            let elderly = try await Self.take(client, "A", priority: "elderly")

            #expect([first.number, second.number, elderly.number] == ["A001", "A002", "A003"])
            #expect(first.position == 1 && second.position == 2)
            #expect(elderly.position == 1, "priority goes first under the default strict rule")
            // No service history yet: 8 minutes a citizen, 3 open counters serve A (Quầy 6 is
            // closed): (position − ½) × 8 / 3 is 1.3 and 4 minutes.
            #expect(first.estimatedWaitMinutes == 1 && second.estimatedWaitMinutes == 4)
            #expect(first.qr.hasPrefix("MT1.demo.\(first.id)."))

            let bad = try await client.json("/api/v1/tickets", .post, body: #"{"serviceId": "A", "priority": "vip"}"#)
            #expect(try bad.decoded(ErrorBody.self).error.field == "priority")
            let unknown = try await client.json("/api/v1/tickets", .post, body: #"{"serviceId": "Z"}"#)
            #expect(try unknown.decoded(ErrorBody.self).error.field == "serviceId")
        }
    }

    @Test func managersReadTheDayInFiguresPerServiceAndCounter() async throws {
        let time = ManualClock(TestSite.mondayMorning)
        let site = TestSite(clock: time.clock)
        let app = try await site.app()
        let officer = try await site.token(.officer)
        let manager = try await site.token(.manager)
        let at = { @Sendable (minutes: Double) in time.set(TestSite.mondayMorning.addingTimeInterval(minutes * 60)) }

        try await app.test(.router) { client in
            let first = try await Self.take(client, "A")
            _ = try await Self.take(client, "A")
            _ = try await Self.take(client, "A")
            at(6)
            _ = try await client.json("/api/v1/counters/2/call-next", .post, token: officer)
            at(18)
            _ = try await client.json("/api/v1/tickets/\(first.id)/done", .post, token: officer)
            _ = try await client.json("/api/v1/tickets/\(first.id)/rating", .post, token: officer, body: #"{"score": 4}"#)
            at(20)
            let second = try await client.json("/api/v1/counters/2/call-next", .post, token: officer).decoded(TicketItem.self)
            at(25)
            _ = try await client.json("/api/v1/tickets/\(second.id)/no-show", .post, token: officer)

            let response = try await client.json("/api/v1/queue/statistics?date=2027-03-01", .get, token: manager)
            #expect(response.status == .ok)
            let figures = try response.decoded(Statistics.self)
            let a = try #require(figures.services.first { $0.serviceId == "A" })
            #expect([a.tickets, a.waiting, a.served, a.noShows] as [Int] == [3, 1, 1, 1])
            // Waits of the two called: 6 and 20 minutes; one service of 12 minutes.
            #expect(a.wait.averageMinutes == 13 && a.wait.percentile90Minutes == 20)
            #expect(a.serviceTime.averageMinutes == 12)
            #expect(a.ratings.byScore["4"] == 1 && a.ratings.count == 1)
            #expect(figures.counters.map(\.counterId) == [2])
            #expect(figures.total.tickets == 3)

            let otherDay = try await client.json("/api/v1/queue/statistics?date=2027-03-02", .get, token: manager).decoded(Statistics.self)
            #expect(otherDay.total.tickets == 0)
            let bad = try await client.json("/api/v1/queue/statistics?date=March", .get, token: manager)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.decoded(ErrorBody.self).error.field == "date")
        }
    }

    @Test func statusCarriesAStrongETagAndAnswers304UntilTheHallChanges() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            let first = try await client.json("/api/v1/queue/status")
            let etag = try #require(first.headers[.eTag])
            let unchanged = try await client.json("/api/v1/queue/status", headers: [.ifNoneMatch: etag])
            _ = try await Self.take(client, "B")
            let changed = try await client.json("/api/v1/queue/status", headers: [.ifNoneMatch: etag])

            #expect(first.status == .ok && etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
            #expect(unchanged.status == .notModified)
            #expect(unchanged.body.readableBytes == 0)
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != etag)
            #expect(try changed.decoded(Status.self).services.first { $0.id == "B" }?.waiting == 1)
            let filtered = try await client.json("/api/v1/queue/status?services=B").decoded(Status.self)
            #expect(filtered.services.map(\.id) == ["B"])
            #expect(filtered.counters.map(\.id) == [3, 4])
        }
    }

    @Test func aDisplayAsksForItsHall() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            // devices/displays.yaml: the second floor shows the clinics.
            let clinics = try await client.json("/api/v1/queue/status?hall=tang-2").decoded(Status.self)
            #expect(clinics.services.map(\.id) == ["K", "N"])
            #expect(clinics.counters.map(\.id) == [7, 8])

            let unknown = try await client.json("/api/v1/queue/status?hall=tang-9")
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.decoded(ErrorBody.self).error.field == "hall")
        }
    }

    @Test func anOfficerCallsRecallsAndFinishes() async throws {
        let site = TestSite()
        let app = try await site.app()
        let officer = try await site.token(.officer)

        try await app.test(.router) { client in
            let ticket = try await Self.take(client, "C")

            let called = try await client.json("/api/v1/counters/5/call-next", .post, token: officer).decoded(TicketItem.self)
            let status = try await client.json("/api/v1/queue/status").decoded(Status.self)
            let recalled = try await client.json("/api/v1/tickets/\(ticket.id)/recall", .post, token: officer).decoded(TicketItem.self)
            let done = try await client.json("/api/v1/tickets/\(ticket.id)/done", .post, token: officer).decoded(TicketItem.self)
            let nobody = try await client.json("/api/v1/counters/5/call-next", .post, token: officer)
            let rated = try await client.json("/api/v1/tickets/\(ticket.id)/rating", .post, body: #"{"score": 4, "pass": "\#(ticket.qr)"}"#)
            let twice = try await client.json("/api/v1/tickets/\(ticket.id)/rating", .post, token: officer, body: #"{"score": 1}"#)

            #expect(called.id == ticket.id && called.status == "called" && called.counterId == 5)
            #expect(status.counters.first { $0.id == 5 }?.ticket?.number == "C001")
            #expect(status.recentCalls.first?.number == "C001" && status.recentCalls.first?.counterName == "Quầy 5")
            let audio = try #require(status.recentCalls.first?.announcement)
            #expect(audio.text == "Mời số xê không không một đến Quầy 5")
            let wav = try await client.json(audio.url)
            #expect(wav.headers[.contentType] == "audio/wav")
            #expect(wav.body.readableBytes > 44_000)
            #expect(String(buffer: wav.body.getSlice(at: 0, length: 4)!) == "RIFF")
            #expect(recalled.recalls == 1)
            #expect(done.status == "done")
            #expect(nobody.status == .noContent)
            #expect(rated.status == .ok)
            #expect(try rated.decoded(TicketItem.self).rating == 4)
            #expect(try twice.decoded(ErrorBody.self).error.code == "already_rated")
            let closed = try await client.json("/api/v1/counters/6/call-next", .post, token: officer)
            #expect(try closed.decoded(ErrorBody.self).error.code == "counter_closed")
        }
    }

    @Test func aTicketsQRScannedAtTheKioskShowsItsStatusAndNothingElsePassesForIt() async throws {
        let site = TestSite()
        let app = try await site.app()
        let officer = try await site.token(.officer)

        try await app.test(.router) { client in
            let ticket = try await Self.take(client, "C")
            let slots = try await client.json("/api/v1/slots?service=A&from=2027-03-01&to=2027-03-01").decoded([BookingEndpointTests.SlotItem].self)
            let booking = try await client.json("/api/v1/bookings", .post, body: BookingEndpointTests.body(slot: slots[4].id))
                .decoded(BookingEndpointTests.BookingItem.self)
            _ = try await client.json("/api/v1/counters/5/call-next", .post, token: officer)
            _ = try await client.json("/api/v1/tickets/\(ticket.id)/done", .post, token: officer)

            let scanned = try await client.json("/api/v1/tickets/scan", .post, body: #"{"qr": "\#(ticket.qr)\r\n"}"#)
            var altered = Array(ticket.qr)
            altered[altered.count - 3] = altered[altered.count - 3] == "A" ? "B" : "A"
            let forged = try await client.json("/api/v1/tickets/scan", .post, body: #"{"qr": "\#(String(altered))"}"#)
            // Another ticket's id under this ticket's tag.
            let renumbered = ticket.qr.replacingOccurrences(of: ".\(ticket.id).", with: ".\(ticket.id + 1).")
            let swapped = try await client.json("/api/v1/tickets/scan", .post, body: #"{"qr": "\#(renumbered)"}"#)
            let bookingPass = try await client.json("/api/v1/tickets/scan", .post, body: #"{"qr": "\#(booking.qr)"}"#)

            #expect(scanned.status == .ok)
            let shown = try scanned.decoded(TicketItem.self)
            #expect(shown.id == ticket.id && shown.number == "C001" && shown.status == "done" && shown.rating == nil)
            #expect(try forged.decoded(ErrorBody.self).error.code == "qr_forged")
            #expect(try swapped.decoded(ErrorBody.self).error.code == "qr_forged")
            #expect(try bookingPass.decoded(ErrorBody.self).error.code == "qr_invalid")
            #expect(try bookingPass.decoded(ErrorBody.self).error.field == "qr")
        }
    }

    @Test func byIdATicketIsReadAndRatedOnlyWithItsQROrByStaff() async throws {
        let site = TestSite()
        let app = try await site.app()
        let officer = try await site.token(.officer)

        try await app.test(.router) { client in
            let ticket = try await Self.take(client, "C")
            let other = try await Self.take(client, "C")
            _ = try await client.json("/api/v1/counters/5/call-next", .post, token: officer)
            _ = try await client.json("/api/v1/tickets/\(ticket.id)/done", .post, token: officer)

            let bare = try await client.json("/api/v1/tickets/\(ticket.id)")
            let othersPass = try await client.json("/api/v1/tickets/\(ticket.id)/qr.svg?pass=\(other.qr)")
            let receipt = try await client.json("/api/v1/tickets/\(ticket.id)/receipt.pdf")
            let byOfficer = try await client.json("/api/v1/tickets/\(ticket.id)", token: officer)
            let withPass = try await client.json("/api/v1/tickets/\(ticket.id)?pass=\(ticket.qr)")
            let guessed = try await client.json("/api/v1/tickets/\(ticket.id)/rating", .post, body: #"{"score": 1}"#)
            let wrongPass = try await client.json("/api/v1/tickets/\(ticket.id)/rating", .post, body: #"{"score": 1, "pass": "\#(other.qr)"}"#)

            #expect(bare.status == .forbidden)
            #expect(try bare.decoded(ErrorBody.self).error.code == "ticket_pass_required")
            #expect(try othersPass.decoded(ErrorBody.self).error.code == "ticket_pass_wrong")
            #expect(receipt.status == .forbidden)
            #expect(byOfficer.status == .ok && withPass.status == .ok)
            #expect(try withPass.decoded(TicketItem.self).qr == ticket.qr)
            #expect(try guessed.decoded(ErrorBody.self).error.field == "pass")
            #expect(wrongPass.status == .forbidden)
            #expect(try await client.json("/api/v1/tickets/\(ticket.id)", token: officer).decoded(TicketItem.self).rating == nil)
        }
    }

    @Test func aBookingChecksInByQROnceAndForgedOrForeignCodesAreRefused() async throws {
        let app = try await TestSite().app()

        try await app.test(.router) { client in
            // Monday 09:30; the clock says 09:00, so the citizen is 30 minutes early.
            let slots = try await client.json("/api/v1/slots?service=A&from=2027-03-01&to=2027-03-01").decoded([BookingEndpointTests.SlotItem].self)
            let booking = try await client.json("/api/v1/bookings", .post, body: BookingEndpointTests.body(slot: slots[4].id))
                .decoded(BookingEndpointTests.BookingItem.self)
            var forged = Array(booking.qr)
            forged[forged.count - 5] = forged[forged.count - 5] == "A" ? "B" : "A"

            let forgery = try await client.json("/api/v1/checkins", .post, body: #"{"qr": "\#(String(forged))"}"#)
            let garbage = try await client.json("/api/v1/checkins", .post, body: #"{"qr": "hello"}"#)
            let checkIn = try await client.json("/api/v1/checkins", .post, body: #"{"qr": "\#(booking.qr)"}"#)
            let again = try await client.json("/api/v1/checkins", .post, body: #"{"bookingCode": "\#(booking.code.lowercased())"}"#)

            #expect(try forgery.decoded(ErrorBody.self).error.code == "qr_forged")
            #expect(try garbage.decoded(ErrorBody.self).error.code == "qr_invalid")
            #expect(checkIn.status == .created)
            let made = try checkIn.decoded(CheckInItem.self)
            #expect(made.checkIn.outcome == "early_wait_for_slot")
            #expect(made.checkIn.message.contains("09:30"))
            #expect(made.ticket.number == "A001")
            #expect(again.status == .conflict)
            #expect(try again.decoded(ErrorBody.self).error.code == "already_checked_in")
        }
    }
}
