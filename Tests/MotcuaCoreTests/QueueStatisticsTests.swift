import Foundation
import Testing
@testable import MotcuaCore

/// 2027-02-03 08:00 in Hồ Chí Minh City (01:00Z), a Wednesday: the hall opens.
private let hallOpens = Date(timeIntervalSince1970: 1_801_616_400)
private let wednesday = LocalDate(year: 2027, month: 2, day: 3)!

/// The instant `minutes` after the hall opens.
private func minute(_ minutes: Double) -> Date {
    hallOpens.addingTimeInterval(minutes * 60)
}

/// A ticket of Wednesday unless told otherwise, of the service its number's letter names;
/// times in minutes after opening.
private func ticket(
    _ id: Int64, _ number: String, _ status: Ticket.Status, issued: Double, called: Double? = nil, finished: Double? = nil,
    counter: Int? = nil, booked: Double? = nil, recalls: Int = 0, rating: Int? = nil, day: LocalDate = wednesday
) -> Ticket {
    Ticket(
        id: id, serviceId: String(number.prefix(1)), day: day, sequence: Int(number.dropFirst())!, number: number,
        status: status, priority: nil, bookingCode: nil, bookedStart: booked.map(minute), counterId: counter,
        issuedAt: minute(issued), calledAt: called.map(minute), recalls: recalls, finishedAt: finished.map(minute), rating: rating
    )
}

/// Wednesday morning: services A and B, counters 1 and 2. Waits and service times in minutes:
///
///     ticket  state          counter  wait  service  rating  booked
///     A001    served         1         5    10       4
///     A002    served         1        13     6       3
///     A003    no-show        2         6                             (recalled twice)
///     A004    being served   1        12
///     A005    waiting
///     B001    served         2         2     7       1       08:00, called 3 min after
///     B002    served         2        22    12       4       08:15, called 13 min after
///     B003    waiting for 1                                          (transferred to counter 1)
///
/// Plus a ticket of the day before, which must not count.
private let morning = [
    ticket(1, "A001", .done, issued: 0, called: 5, finished: 15, counter: 1, rating: 4),
    ticket(2, "A002", .done, issued: 2, called: 15, finished: 21, counter: 1, rating: 3),
    ticket(3, "A003", .noShow, issued: 4, called: 10, finished: 13, counter: 2, recalls: 2),
    ticket(4, "A004", .called, issued: 9, called: 21, counter: 1),
    ticket(5, "A005", .waiting, issued: 20),
    ticket(6, "B001", .done, issued: 1, called: 3, finished: 10, counter: 2, booked: 0, rating: 1),
    ticket(7, "B002", .done, issued: 6, called: 28, finished: 40, counter: 2, booked: 15, rating: 4),
    ticket(8, "B003", .waiting, issued: 12, counter: 1),
    ticket(9, "A099", .done, issued: -1440, called: -1430, finished: -1420, counter: 1, rating: 1,
           day: LocalDate(year: 2027, month: 2, day: 2)!),
]

/// Tickets, waiting, being served, served, no-shows.
private func counts(_ figures: QueueStatistics.Figures) -> (Int, Int, Int, Int, Int) {
    (figures.tickets, figures.waiting, figures.beingServed, figures.served, figures.noShows)
}

/// Count, average and 90th percentile, to compare at a glance.
private func durations(_ figures: QueueStatistics.Durations) -> (Int, Double?, Double?) {
    (figures.count, figures.averageMinutes, figures.percentile90Minutes)
}

private func ratings(_ figures: QueueStatistics.Ratings) -> ([Int: Int], Int, Double?) {
    (figures.byScore, figures.count, figures.average)
}

private func bookings(_ figures: QueueStatistics.Bookings) -> (Int, Int, Double?) {
    (figures.called, figures.onTime, figures.onTimeRate)
}

@Suite struct QueueStatisticsTests {
    let statistics = QueueStatistics(day: wednesday, tickets: morning)

    @Test func eachServiceCountsItsTicketsByState() throws {
        try #require(statistics.services.map(\.serviceId) == ["A", "B"])
        let a = statistics.services[0], b = statistics.services[1]

        #expect(counts(a) == (5, 1, 1, 2, 1))
        #expect(durations(a.wait) == (4, 9, 13))
        #expect(durations(a.serviceTime) == (2, 8, 10))
        #expect(ratings(a.ratings) == ([1: 0, 2: 0, 3: 1, 4: 1], 2, 3.5))
        #expect(bookings(a.bookings) == (0, 0, nil))

        #expect(counts(b) == (3, 1, 0, 2, 0))
        #expect(durations(b.wait) == (2, 12, 22))
        #expect(durations(b.serviceTime) == (2, 9.5, 12))
        #expect(ratings(b.ratings) == ([1: 1, 2: 0, 3: 0, 4: 1], 2, 2.5))
        #expect(bookings(b.bookings) == (2, 1, 0.5))
    }

    @Test func eachCounterCountsTheTicketsCalledOrTransferredToIt() throws {
        try #require(statistics.counters.map(\.counterId) == [1, 2])
        let one = statistics.counters[0], two = statistics.counters[1]

        // A001, A002, A004 called there; B003 transferred there and waiting.
        #expect(counts(one) == (4, 1, 1, 2, 0))
        #expect(durations(one.wait) == (3, 10, 13))
        #expect(durations(one.serviceTime) == (2, 8, 10))
        #expect(one.ratings.byScore == [1: 0, 2: 0, 3: 1, 4: 1])

        #expect(counts(two) == (3, 0, 0, 2, 1))
        #expect(durations(two.wait) == (3, 10, 22))
        #expect(durations(two.serviceTime) == (2, 9.5, 12))
        #expect(two.bookings.onTimeRate == 0.5)
    }

    @Test func theTotalCountsEveryTicketOfTheDayOnly() {
        let total = statistics.total

        #expect(total.serviceId == nil && total.counterId == nil)
        #expect(counts(total) == (8, 2, 1, 4, 1))
        // Waits 2, 5, 6, 12, 13, 22: rank ⌈0.9 × 6⌉ = 6.
        #expect(durations(total.wait) == (6, 10, 22))
        // Service times 6, 7, 10, 12: rank ⌈0.9 × 4⌉ = 4.
        #expect(durations(total.serviceTime) == (4, 8.75, 12))
        #expect(ratings(total.ratings) == ([1: 1, 2: 0, 3: 1, 4: 2], 4, 3))
        #expect(bookings(total.bookings) == (2, 1, 0.5))
    }

    @Test func onTimeMeansCalledByTheLimitThatMinuteIncluded() {
        let booked = [
            ticket(1, "B001", .done, issued: 0, called: 25, finished: 30, counter: 1, booked: 15),
            ticket(2, "B002", .called, issued: 0, called: 25 + 1.0 / 60, counter: 2, booked: 15),
            ticket(3, "B003", .noShow, issued: 0, called: 10, finished: 12, counter: 1, booked: 15),
            ticket(4, "B004", .waiting, issued: 0, booked: 15),
            ticket(5, "B005", .done, issued: 0, called: 40, finished: 45, counter: 1),
        ]

        let strict = bookings(QueueStatistics(day: wednesday, tickets: booked).total.bookings)
        let lenient = bookings(QueueStatistics(day: wednesday, tickets: booked, onTimeMinutes: 11).total.bookings)

        // 10:00 after the booked start is on time, 10:01 is not, early is; the waiting
        // booking and the walk-in do not count.
        #expect(strict == (3, 2, 2.0 / 3))
        #expect(lenient == (3, 3, 1))
    }

    @Test func aRatingOffTheScaleIsLeftOut() {
        let rated = [
            ticket(1, "A001", .done, issued: 0, called: 1, finished: 5, counter: 1, rating: 2),
            ticket(2, "A002", .done, issued: 0, called: 5, finished: 9, counter: 1, rating: 9),
        ]

        let figures = QueueStatistics(day: wednesday, tickets: rated).total.ratings

        #expect(ratings(figures) == ([1: 0, 2: 1, 3: 0, 4: 0], 1, 2))
    }

    @Test func percentileIsTheNearestRankOnOddAndEvenCounts() {
        let ten = (1...10).map { Double($0) * 60 }.shuffled()
        let eleven = (1...11).map { Double($0) * 60 }.shuffled()

        #expect(QueueStatistics.Durations(seconds: ten).percentile90Minutes == 9)
        #expect(QueueStatistics.Durations(seconds: eleven).percentile90Minutes == 10)
        #expect(QueueStatistics.Durations(seconds: [420]).percentile90Minutes == 7)
        #expect(QueueStatistics.Durations.percentile(50, ofSorted: [1, 2, 3, 4]) == 2)
        #expect(QueueStatistics.Durations.percentile(50, ofSorted: [1, 2, 3, 4, 5]) == 3)
        #expect(QueueStatistics.Durations.percentile(7, ofSorted: (1...100).map(Double.init)) == 7, "no rounding error")
    }

    @Test func anEmptyDayGivesZerosAndNoAverages() throws {
        let empty = QueueStatistics(day: wednesday, tickets: [])
        let onlyYesterday = QueueStatistics(day: wednesday, tickets: [morning[8]])

        #expect(empty.services.isEmpty && empty.counters.isEmpty)
        #expect(counts(empty.total) == (0, 0, 0, 0, 0))
        #expect(durations(empty.total.wait) == (0, nil, nil))
        #expect(durations(empty.total.serviceTime) == (0, nil, nil))
        #expect(ratings(empty.total.ratings) == ([1: 0, 2: 0, 3: 0, 4: 0], 0, nil))
        #expect(bookings(empty.total.bookings) == (0, 0, nil))
        #expect(onlyYesterday == empty)
        // JSONEncoder refuses NaN, so this also proves there is none.
        let json = String(decoding: try JSONEncoder().encode(empty), as: UTF8.self)
        #expect(json.contains(#""wait":{"count":0}"#))
    }

    @Test func theJSONIsCamelCaseWithTheDayAsISOAndScoresAsKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys

        let json = String(decoding: try encoder.encode(statistics), as: UTF8.self)

        #expect(json.hasPrefix(#"{"counters":[{"beingServed":1,"bookings":{"called":0,"onTime":0},"counterId":1,"noShows":0,"#))
        #expect(json.contains(#""day":"2027-02-03","onTimeMinutes":10,"#))
        #expect(json.contains(#""ratings":{"average":3,"byScore":{"1":1,"2":0,"3":1,"4":2},"count":4}"#))
        #expect(json.contains(#""serviceTime":{"averageMinutes":8.75,"count":4,"percentile90Minutes":12}"#))
        #expect(json.contains(#""total":{"beingServed":1,"bookings":{"called":2,"onTime":1,"onTimeRate":0.5},"noShows":1,"#))
    }
}
