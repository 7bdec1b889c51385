import Foundation
import Testing
@testable import MotcuaCore

/// 2027-02-03 08:00 in Hồ Chí Minh City (01:00Z), a Wednesday: the hall opens.
private let hallOpens = Date(timeIntervalSince1970: 1_801_616_400)
private let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

/// The instant `minutes` after the hall opens.
private func minute(_ minutes: Double) -> Date {
    hallOpens.addingTimeInterval(minutes * 60)
}

/// A waiting ticket of service A unless told otherwise, issued `issued` minutes after opening.
private func ticket(
    _ id: Int64, issued: Double, service: String = "A", priority: PriorityCategory? = nil,
    bookedAt booked: Double? = nil, transferredTo counter: Int? = nil
) -> QueueEntry {
    QueueEntry(
        id: id, serviceId: service, issuedAt: minute(issued), priority: priority,
        bookedStart: booked.map(minute), transferredToCounter: counter
    )
}

/// A ticket called at a counter.
private struct Call {
    let ticket: QueueEntry
    let calledAt: Date

    var waitMinutes: Double { calledAt.timeIntervalSince(ticket.issuedAt) / 60 }
}

/// Calls one counter serving A once a minute, from the first issue until nobody waits;
/// each ticket joins the waiting line only at its issue time.
private func drain(_ queue: [QueueEntry], policy: QueuePolicy) -> [Call] {
    var pending = queue.sorted { $0.issuedAt < $1.issuedAt }
    var waiting: [QueueEntry] = []
    var history = FairnessHistory()
    var calls: [Call] = []
    var now = pending.first?.issuedAt ?? hallOpens
    while !pending.isEmpty || !waiting.isEmpty {
        let issued = pending.prefix { $0.issuedAt <= now }
        waiting += issued
        pending.removeFirst(issued.count)
        if let called = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: now, history: history) {
            waiting.removeAll { $0.id == called.id }
            history = history.recording(called)
            calls.append(Call(ticket: called, calledAt: now))
        }
        now = now.addingTimeInterval(60)
    }
    return calls
}

@Suite struct PriorityAndFairnessTests {
    @Test func strictCallsAWaitingPriorityTicketFirst() {
        let waiting = [ticket(1, issued: 0), ticket(2, issued: 1), ticket(3, issued: 5, priority: .elderly)]
        let policy = QueuePolicy(fairness: .strict)
        let afterOneRegular = FairnessHistory(regularCallsSincePriority: 1)

        let first = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(6), history: FairnessHistory())
        let evenRightAfterPriority = policy.nextToCall(
            waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(6), history: FairnessHistory(regularCallsSincePriority: 0)
        )

        #expect(first?.id == 3)
        #expect(evenRightAfterPriority?.id == 3)
        #expect(policy.nextToCall(waiting: Array(waiting.prefix(2)), counterId: 1, counterServices: ["A"], now: minute(6), history: afterOneRegular)?.id == 1)
    }

    @Test func onePriorityPerTwoInterleavesPriorityWithASteadyStreamOfOthers() {
        // Twelve of each kind, all waiting from the start: both kinds wait at every call.
        let priority = (1...12).map { ticket(Int64($0), issued: 0, priority: .pregnancy) }
        let regular = (13...24).map { ticket(Int64($0), issued: 0) }

        let calls = drain(priority + regular, policy: QueuePolicy(fairness: .onePriorityPer(regular: 2)))

        let kinds = calls.prefix(9).map { $0.ticket.priority == nil ? "R" : "P" }.joined()
        #expect(kinds == "PRRPRRPRR")
        #expect(calls.prefix(9).map(\.ticket.id) == [1, 13, 14, 2, 15, 16, 3, 17, 18], "each kind in its own order")
    }

    @Test func priorityIsServedWhenNoOtherTicketWaitsEvenIfOthersAreOwedCalls() {
        let policy = QueuePolicy(fairness: .onePriorityPer(regular: 2))
        let justCalledPriority = FairnessHistory(regularCallsSincePriority: 0)
        let onlyPriority = [ticket(1, issued: 0, priority: .disability)]
        let both = onlyPriority + [ticket(2, issued: 3)]

        let alone = policy.nextToCall(waiting: onlyPriority, counterId: 1, counterServices: ["A"], now: minute(5), history: justCalledPriority)
        let withOthers = policy.nextToCall(waiting: both, counterId: 1, counterServices: ["A"], now: minute(5), history: justCalledPriority)

        #expect(alone?.id == 1)
        #expect(withOthers?.id == 2, "the others are owed two calls first")
    }

    @Test func theDaysFirstPriorityTicketNeedNotWaitForRegularCalls() {
        let policy = QueuePolicy(fairness: .onePriorityPer(regular: 3))
        let waiting = [ticket(1, issued: 0), ticket(2, issued: 1, priority: .meritorious)]

        let afterTwoRegularCalls = FairnessHistory().recording(waiting[0]).recording(waiting[0])
        let called = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(2), history: afterTwoRegularCalls)

        #expect(afterTwoRegularCalls.regularCallsSincePriority == nil)
        #expect(called?.id == 2)
    }

    @Test func historyCountsRegularCallsSinceTheLastPriorityCall() {
        let priority = ticket(1, issued: 0, priority: .elderly)
        let regular = ticket(2, issued: 0)

        let history = FairnessHistory().recording(priority).recording(regular).recording(regular)

        #expect(history.regularCallsSincePriority == 2)
        #expect(history.recording(priority).regularCallsSincePriority == 0)
    }

    /// 50 priority and 50 other tickets arrive alternately every 30 s (priority on the
    /// minute, the others on the half minute) while one counter calls once a minute, so
    /// both kinds pile up; then the hall drains. Nobody starves: every ticket is called,
    /// and the longest wait of each kind is the one worked out here.
    ///
    /// - strict: each priority ticket is called the minute it arrives (wait 0); the others
    ///   get no call until priority stops at 49:00, then one a minute: R1 (00:30) at 50:00
    ///   waits 49.5 minutes, as does every other.
    /// - one priority per 2: calls go P R R; the j-th other ticket is called at minute
    ///   j + ⌈j/2⌉ − 1, a wait of ⌈j/2⌉ − ½, at most 24.5 (j = 50, at 74:00); priority
    ///   tickets then take minutes 75–99, P26…P50 each waiting 50 minutes.
    @Test(arguments: [
        (QueuePolicy.Fairness.strict, 0.0, 49.5),
        (QueuePolicy.Fairness.onePriorityPer(regular: 2), 50.0, 24.5),
    ])
    func fiftyOfEachKindAreDrainedWithBoundedWaits(fairness: QueuePolicy.Fairness, longestPriorityWait: Double, longestRegularWait: Double) {
        let priority = (0..<50).map { k in ticket(Int64(2 * k + 1), issued: Double(k), priority: .elderly) }
        let regular = (0..<50).map { k in ticket(Int64(2 * k + 2), issued: Double(k) + 0.5) }

        let calls = drain(priority + regular, policy: QueuePolicy(fairness: fairness))

        func longestWait(priority: Bool) -> Double {
            calls.filter { ($0.ticket.priority != nil) == priority }.map(\.waitMinutes).max() ?? .infinity
        }
        #expect(Set(calls.map(\.ticket.id)).count == 100)
        #expect(longestWait(priority: true) == longestPriorityWait)
        #expect(longestWait(priority: false) == longestRegularWait)
    }
}

@Suite struct CallOrderTests {
    let policy = QueuePolicy()

    @Test func aDueBookingGoesAheadOfAnEarlierWalkIn() {
        // Booked for 09:00, due from 08:55; the walk-in has waited since 08:00.
        let waiting = [ticket(1, issued: 0), ticket(2, issued: 50, bookedAt: 60)]

        let atDueTime = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(55), history: FairnessHistory())

        #expect(atDueTime?.id == 2)
    }

    @Test func aBookingNotYetDueWaitsInArrivalOrder() {
        let waiting = [ticket(1, issued: 0), ticket(2, issued: 50, bookedAt: 60)]

        let secondBeforeDue = policy.nextToCall(
            waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(55).addingTimeInterval(-1), history: FairnessHistory()
        )
        let onceTheWalkInIsGone = policy.nextToCall(
            waiting: [waiting[1]], counterId: 1, counterServices: ["A"], now: minute(40), history: FairnessHistory()
        )

        #expect(secondBeforeDue?.id == 1)
        #expect(onceTheWalkInIsGone?.id == 2, "an early booking is still served when its turn comes")
    }

    @Test func dueBookingsGoByBookedStartNotByCheckInTime() {
        let waiting = [ticket(1, issued: 20, bookedAt: 60), ticket(2, issued: 50, bookedAt: 30)]

        let called = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(58), history: FairnessHistory())

        #expect(called?.id == 2)
    }

    @Test func priorityGoesAheadOfADueBooking() {
        let waiting = [ticket(1, issued: 50, bookedAt: 60), ticket(2, issued: 58, priority: .smallChildren)]

        let called = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(60), history: FairnessHistory())

        #expect(called?.id == 2)
    }

    @Test func aCounterSeesOnlyTheServicesItServes() {
        let waiting = [ticket(1, issued: 0, service: "A"), ticket(2, issued: 5, service: "B"), ticket(3, issued: 1, service: "A", priority: .elderly)]

        let counterForB = policy.nextToCall(waiting: waiting, counterId: 2, counterServices: ["B"], now: minute(10), history: FairnessHistory())
        let counterForC = policy.nextToCall(waiting: waiting, counterId: 3, counterServices: ["C"], now: minute(10), history: FairnessHistory())

        #expect(counterForB?.id == 2)
        #expect(counterForC == nil)
    }

    @Test func aTransferredTicketGoesOnlyToItsCounterAheadOfItsOtherTickets() {
        // Ticket 9 (service A, first issued 08:20) was transferred to counter 3, which serves B.
        let waiting = [ticket(1, issued: 0, service: "B"), ticket(2, issued: 25, service: "A"), ticket(9, issued: 20, service: "A", transferredTo: 3)]

        let atCounterThree = policy.nextToCall(waiting: waiting, counterId: 3, counterServices: ["B"], now: minute(30), history: FairnessHistory())
        let atACounterForA = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(30), history: FairnessHistory())

        #expect(atCounterThree?.id == 9, "ahead of the counter's own earlier walk-in")
        #expect(atACounterForA?.id == 2, "not called at another counter, though issued earlier")
    }

    @Test func transferredTicketsKeepTheirOriginalIssueTimeAndYieldToPriority() {
        // Ticket 12 was transferred here after ticket 11 but was first issued earlier.
        let waiting = [
            ticket(11, issued: 30, transferredTo: 3), ticket(12, issued: 5, transferredTo: 3), ticket(13, issued: 40, priority: .pregnancy),
        ]

        let first = policy.nextToCall(waiting: waiting, counterId: 3, counterServices: ["A"], now: minute(45), history: FairnessHistory())
        let second = policy.nextToCall(waiting: Array(waiting.prefix(2)), counterId: 3, counterServices: ["A"], now: minute(45), history: FairnessHistory())

        #expect(first?.id == 13)
        #expect(second?.id == 12)
    }

    @Test func ticketsIssuedAtTheSameInstantGoByLowerId() {
        let waiting = [ticket(7, issued: 3), ticket(5, issued: 3), ticket(6, issued: 3)]

        let called = policy.nextToCall(waiting: waiting, counterId: 1, counterServices: ["A"], now: minute(4), history: FairnessHistory())

        #expect(called?.id == 5)
    }

    @Test func nobodyWaitingMeansNobodyIsCalled() {
        let called = policy.nextToCall(waiting: [], counterId: 1, counterServices: ["A"], now: minute(4), history: FairnessHistory())

        #expect(called == nil)
    }

    @Test func positionCountsTheTicketsOfItsLineCalledBeforeIt() {
        let walkIn = ticket(4, issued: 12)
        let waiting = [
            ticket(1, issued: 0), ticket(2, issued: 10, priority: .elderly), ticket(3, issued: 5, bookedAt: 20),
            ticket(5, issued: 1, service: "B"), ticket(6, issued: 2, transferredTo: 3), walkIn, ticket(7, issued: 13),
        ]

        let position = policy.position(of: walkIn, among: waiting, now: minute(15))
        let priorityPosition = policy.position(of: waiting[1], among: waiting, now: minute(15))
        let transferredPosition = policy.position(of: waiting[4], among: waiting, now: minute(15))

        // Ahead of the walk-in: the priority ticket, the due booking, the walk-in of 08:00.
        #expect(position == 4)
        #expect(priorityPosition == 1)
        #expect(transferredPosition == 1)
    }
}

@Suite struct CheckInTimingTests {
    /// Booked for 09:30 on the day the hall opens.
    let booked = minute(90)

    func outcome(_ policy: QueuePolicy, minutesFromStart offset: Double) -> CheckInOutcome {
        policy.checkIn(bookedStart: booked, now: booked.addingTimeInterval(offset * 60), timeZone: saigon)
    }

    @Test func theDefaultWindowRunsFrom15MinutesBeforeTo10After() {
        let policy = QueuePolicy()

        #expect(outcome(policy, minutesFromStart: -16) == .early(minutes: 16, joins: .waitForSlot))
        #expect(outcome(policy, minutesFromStart: -15 - 1.0 / 60) == .early(minutes: 16, joins: .waitForSlot))
        #expect(outcome(policy, minutesFromStart: -15) == .onTime)
        #expect(outcome(policy, minutesFromStart: 0) == .onTime)
        #expect(outcome(policy, minutesFromStart: 10) == .onTime)
        #expect(outcome(policy, minutesFromStart: 10 + 1.0 / 60) == .late(minutes: 11))
        #expect(outcome(policy, minutesFromStart: 11) == .late(minutes: 11))
    }

    @Test func earlyCheckInsJoinAsWalkInsWhenConfigured() {
        let policy = QueuePolicy(earlyCheckIn: .joinAsWalkIn)

        let early = outcome(policy, minutesFromStart: -16)
        let edge = outcome(policy, minutesFromStart: -15)

        #expect(early == .early(minutes: 16, joins: .joinAsWalkIn))
        #expect(!early.keepsBookedTime)
        #expect(edge == .onTime)
        #expect(edge.keepsBookedTime)
    }

    @Test func lateCheckInsAreRefusedWhenConfigured() {
        let policy = QueuePolicy(lateCheckIn: .refuse)

        let late = outcome(policy, minutesFromStart: 11)
        let edge = outcome(policy, minutesFromStart: 10)

        #expect(late == .refused(.tooLate(minutes: 11)))
        #expect(edge == .onTime)
    }

    @Test func aConfiguredWindowMovesTheEdges() {
        let policy = QueuePolicy(checkInMinutesBefore: 30, checkInMinutesAfter: 0)

        #expect(outcome(policy, minutesFromStart: -30) == .onTime)
        #expect(outcome(policy, minutesFromStart: -31) == .early(minutes: 31, joins: .waitForSlot))
        #expect(outcome(policy, minutesFromStart: 0) == .onTime)
        #expect(outcome(policy, minutesFromStart: 1) == .late(minutes: 1))
    }

    @Test func aBookingForAnotherDayIsRefusedWhateverTheRules() {
        let policy = QueuePolicy(earlyCheckIn: .joinAsWalkIn, lateCheckIn: .joinAsWalkIn)

        let tomorrow = outcome(policy, minutesFromStart: -24 * 60)
        let yesterday = outcome(policy, minutesFromStart: 24 * 60)
        let lastMinuteOfTheDay = outcome(policy, minutesFromStart: 14 * 60 + 29)

        #expect(tomorrow == .refused(.anotherDay))
        #expect(yesterday == .refused(.anotherDay))
        #expect(lastMinuteOfTheDay == .late(minutes: 869), "23:59 is still the booking's day")
    }

    @Test func onlyOnTimeAndWaitForSlotKeepTheBookedTime() {
        let outcomes: [CheckInOutcome] = [
            .onTime, .early(minutes: 20, joins: .waitForSlot), .early(minutes: 20, joins: .joinAsWalkIn),
            .late(minutes: 12), .refused(.tooLate(minutes: 12)), .refused(.anotherDay),
        ]

        let kept = outcomes.map(\.keepsBookedTime)
        let codes = outcomes.map(\.code)

        #expect(kept == [true, true, false, false, false, false])
        #expect(Set(codes).count == outcomes.count)
    }

    @Test func theKioskSaysPlainlyWhatApplied() {
        let early = CheckInOutcome.early(minutes: 40, joins: .waitForSlot)
        let late = CheckInOutcome.late(minutes: 1)
        let otherDay = CheckInOutcome.refused(.anotherDay)
        let nextDay = booked.addingTimeInterval(86_400)

        #expect(early.vi(bookedStart: booked, timeZone: saigon) == "Bạn đến sớm 40 phút; số của bạn sẽ được gọi vào khoảng 09:30, theo giờ hẹn.")
        #expect(early.en(bookedStart: booked, timeZone: saigon) == "You are 40 minutes early; you will be called at about 09:30, your booked time.")
        #expect(late.en(bookedStart: booked, timeZone: saigon).hasPrefix("You are 1 minute late for your 09:30 appointment;"))
        #expect(otherDay.vi(bookedStart: nextDay, timeZone: saigon) == "Lịch hẹn của bạn vào 09:30 ngày 04/02/2027, không phải hôm nay.")
        #expect(otherDay.en(bookedStart: nextDay, timeZone: TimeZone(identifier: "UTC")!) == "Your appointment is at 02:30 on 2027-02-04, not today.")
    }

    @Test func everyOutcomeHasItsOwnTextInBothLanguages() {
        let outcomes: [CheckInOutcome] = [
            .onTime, .early(minutes: 20, joins: .waitForSlot), .early(minutes: 20, joins: .joinAsWalkIn),
            .late(minutes: 12), .refused(.tooLate(minutes: 12)), .refused(.anotherDay),
        ]

        let vi = outcomes.map { $0.vi(bookedStart: booked, timeZone: saigon) }
        let en = outcomes.map { $0.en(bookedStart: booked, timeZone: saigon) }

        #expect(Set(vi).count == outcomes.count)
        #expect(Set(en).count == outcomes.count)
        #expect(vi.allSatisfy { $0.contains("09:30") } && en.allSatisfy { $0.contains("09:30") })
    }
}

@Suite struct QueuePolicyConfigurationTests {
    @Test func aSiteConfigurationNamesOnlyWhatItChanges() throws {
        let json = #"{"fairness": {"onePriorityPer": {"regular": 3}}, "lateCheckIn": "refuse", "priorityCategories": ["elderly", "small_children"]}"#

        let policy = try JSONDecoder().decode(QueuePolicy.self, from: Data(json.utf8))

        #expect(policy.fairness == .onePriorityPer(regular: 3))
        #expect(policy.lateCheckIn == .refuse)
        #expect(policy.priorityCategories == [.elderly, .smallChildren])
        #expect(policy.earlyCheckIn == .waitForSlot)
        #expect(policy.checkInMinutesBefore == 15 && policy.checkInMinutesAfter == 10 && policy.dueLeadMinutes == 5)
    }

    @Test func theDefaultsAreAllCategoriesStrictPriorityAndTheUsualWindow() {
        let policy = QueuePolicy()

        #expect(policy.priorityCategories == Set(PriorityCategory.allCases))
        #expect(policy.fairness == .strict)
        #expect(policy.earlyCheckIn == .waitForSlot && policy.lateCheckIn == .joinAsWalkIn)
        #expect(policy.checkInMinutesBefore == 15 && policy.checkInMinutesAfter == 10 && policy.dueLeadMinutes == 5)
    }

    @Test func aPolicyRoundTripsAndNegativeMinutesCountAsZero() throws {
        let policy = QueuePolicy(fairness: .onePriorityPer(regular: 2), checkInMinutesBefore: -5, earlyCheckIn: .joinAsWalkIn, dueLeadMinutes: -1)

        let decoded = try JSONDecoder().decode(QueuePolicy.self, from: JSONEncoder().encode(policy))

        #expect(decoded == policy)
        #expect(policy.checkInMinutesBefore == 0 && policy.dueLeadMinutes == 0)
    }

    @Test func everyCategoryHasLabelsAndExplanationsInBothLanguages() {
        let categories = PriorityCategory.allCases

        let texts = categories.map { [$0.vi, $0.en, $0.explanationVi, $0.explanationEn] }

        #expect(categories.map(\.rawValue) == ["elderly", "disability", "pregnancy", "small_children", "meritorious"])
        #expect(texts.allSatisfy { $0.allSatisfy { !$0.isEmpty } })
        #expect(Set(categories.map(\.vi)).count == categories.count)
        #expect(PriorityCategory.elderly.vi == "Người cao tuổi (từ 60 tuổi)")
    }
}
