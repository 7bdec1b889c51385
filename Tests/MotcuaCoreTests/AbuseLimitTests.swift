import Foundation
import MotcuaCore
import Testing

@Suite struct TokenBucketTests {
    let start = Date(timeIntervalSince1970: 1_803_866_400)

    @Test func aBurstGoesThenTheCallerWaitsForTheRefill() {
        var buckets = TokenBuckets(burst: 3, perMinute: 60)

        let burst = (0..<3).map { _ in buckets.take("kiosk-1", now: start) }
        let fourth = buckets.take("kiosk-1", now: start)
        let otherCaller = buckets.take("kiosk-2", now: start)
        let halfASecondLater = buckets.take("kiosk-1", now: start.addingTimeInterval(0.5))
        let aSecondLater = buckets.take("kiosk-1", now: start.addingTimeInterval(1))

        #expect(burst == [nil, nil, nil])
        #expect(fourth == 1, "one a second: the next in a second")
        #expect(otherCaller == nil, "each caller has its own bucket")
        #expect(halfASecondLater == 0.5)
        #expect(aSecondLater == nil)
    }

    @Test func aBucketNeverHoldsMoreThanItsBurst() {
        var buckets = TokenBuckets(burst: 2, perMinute: 60)
        _ = buckets.take("a", now: start)

        let afterAnHour = (0..<3).map { _ in buckets.take("a", now: start.addingTimeInterval(3600)) }

        #expect(afterAnHour.map { $0 == nil } == [true, true, false])
    }

    @Test func manyCallersDoNotGrowItPastItsBoundAndBusyOnesStayLimited() {
        var buckets = TokenBuckets(burst: 1, perMinute: 1, keysKept: 100)
        _ = buckets.take("busy", now: start)
        for n in 0..<1000 { _ = buckets.take("caller-\(n)", now: start.addingTimeInterval(Double(n) / 1000)) }

        // The busy caller was dropped or kept; either way it cannot take more than its burst.
        let again = buckets.take("busy", now: start.addingTimeInterval(1))
        let twice = buckets.take("busy", now: start.addingTimeInterval(1))

        #expect(again == nil || twice != nil)
        #expect(twice != nil)
    }
}

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_803_866_400)

    @Test func fiveWrongPasswordsLockTheNameWithADoublingWait() {
        var throttle = LoginThrottle(allowedFailures: 5)
        for n in 0..<4 { throttle.failed("canbo", now: start.addingTimeInterval(Double(n))) }
        let afterFour = throttle.lockedFor("canbo", now: start.addingTimeInterval(4))

        throttle.failed("canbo", now: start.addingTimeInterval(4))
        let afterFive = throttle.lockedFor("CanBo ", now: start.addingTimeInterval(4))
        throttle.failed("canbo", now: start.addingTimeInterval(40))
        let afterSix = throttle.lockedFor("canbo", now: start.addingTimeInterval(40))
        let otherName = throttle.lockedFor("quanly", now: start.addingTimeInterval(40))

        #expect(afterFour == nil)
        #expect(afterFive == 30, "the same name however it is typed")
        #expect(afterSix == 60)
        #expect(otherName == nil)
    }

    @Test func theLockEndsAndARightPasswordClearsTheCount() {
        var throttle = LoginThrottle(allowedFailures: 2)
        throttle.failed("lan", now: start)
        throttle.failed("lan", now: start)

        let during = throttle.lockedFor("lan", now: start.addingTimeInterval(29))
        let after = throttle.lockedFor("lan", now: start.addingTimeInterval(30))
        throttle.succeeded("lan")
        throttle.failed("lan", now: start.addingTimeInterval(31))

        #expect(during == 1)
        #expect(after == nil)
        #expect(throttle.lockedFor("lan", now: start.addingTimeInterval(31)) == nil, "one failure after a success locks nothing")
    }

    @Test func theWaitStopsGrowingAtFifteenMinutes() {
        var throttle = LoginThrottle(allowedFailures: 1)
        for n in 0..<20 { throttle.failed("x", now: start.addingTimeInterval(Double(n))) }

        #expect(throttle.lockedFor("x", now: start.addingTimeInterval(19)) == LoginThrottle.longestLock)
    }
}
