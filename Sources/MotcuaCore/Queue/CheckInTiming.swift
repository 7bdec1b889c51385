import Foundation

/// What happened when a booking was checked in at the kiosk, for the ticket and for the
/// citizen (`vi`, `en`). Minutes are counted from the booked start, rounded up, so
/// "15 minutes early" is never said of a check-in outside a 15-minute window.
public enum CheckInOutcome: Sendable, Equatable {
    /// Within the window: the ticket keeps the booked time.
    case onTime
    /// Before the window opened; the ticket joins as the policy's early rule says.
    case early(minutes: Int, joins: QueuePolicy.EarlyCheckIn)
    /// After the window closed, under `LateCheckIn.joinAsWalkIn`: an ordinary ticket.
    case late(minutes: Int)
    /// No ticket.
    case refused(CheckInRefusal)
}

public enum CheckInRefusal: Sendable, Equatable {
    /// After the window closed, under `LateCheckIn.refuse`.
    case tooLate(minutes: Int)
    /// The booking is for another day at the site: tickets belong to the day they are issued.
    case anotherDay
}

extension QueuePolicy {
    /// Where a booking starting at `bookedStart` stands when checked in at `now`. The window
    /// is inclusive at both ends: with the defaults, 15:00 before and 10:00 after the booked
    /// start are on time, a second more is not. `timeZone` is the site's: it decides the day.
    public func checkIn(bookedStart: Date, now: Date, timeZone: TimeZone) -> CheckInOutcome {
        guard LocalDate(now, in: timeZone) == LocalDate(bookedStart, in: timeZone) else {
            return .refused(.anotherDay)
        }
        let seconds = now.timeIntervalSince(bookedStart)
        if seconds < -Double(checkInMinutesBefore) * 60 {
            return .early(minutes: Self.minutes(-seconds), joins: earlyCheckIn)
        }
        if seconds > Double(checkInMinutesAfter) * 60 {
            switch lateCheckIn {
            case .joinAsWalkIn: return .late(minutes: Self.minutes(seconds))
            case .refuse: return .refused(.tooLate(minutes: Self.minutes(seconds)))
            }
        }
        return .onTime
    }

    private static func minutes(_ seconds: TimeInterval) -> Int {
        Int((seconds / 60).rounded(.up))
    }
}

extension CheckInOutcome {
    /// Whether the ticket keeps the booked start (`QueueEntry.bookedStart`) and so goes
    /// ahead of walk-ins once due; false for tickets that join as walk-ins and for refusals.
    public var keepsBookedTime: Bool {
        switch self {
        case .onTime, .early(_, .waitForSlot): true
        case .early(_, .joinAsWalkIn), .late, .refused: false
        }
    }

    /// Stable, for clients that branch on the outcome.
    public var code: String {
        switch self {
        case .onTime: "on_time"
        case .early(_, .waitForSlot): "early_wait_for_slot"
        case .early(_, .joinAsWalkIn): "early_walk_in"
        case .late: "late_walk_in"
        case .refused(.tooLate): "too_late"
        case .refused(.anotherDay): "another_day"
        }
    }

    /// What the kiosk tells the citizen, in Vietnamese; times as HH:mm in `timeZone`.
    public func vi(bookedStart: Date, timeZone: TimeZone) -> String {
        let time = TimeOfDay(bookedStart, in: timeZone)
        let asWalkIn = "số của bạn được xếp theo thứ tự đến, như khách không hẹn trước."
        switch self {
        case .onTime:
            return "Bạn đến đúng hẹn (\(time)); số của bạn sẽ được gọi theo giờ hẹn."
        case .early(let minutes, .waitForSlot):
            return "Bạn đến sớm \(minutes) phút; số của bạn sẽ được gọi vào khoảng \(time), theo giờ hẹn."
        case .early(let minutes, .joinAsWalkIn):
            return "Bạn đến sớm \(minutes) phút so với giờ hẹn \(time); " + asWalkIn
        case .late(let minutes):
            return "Bạn đến muộn \(minutes) phút so với giờ hẹn \(time); " + asWalkIn
        case .refused(.tooLate(let minutes)):
            return "Bạn đến muộn \(minutes) phút so với giờ hẹn \(time), đã hết thời gian nhận lịch hẹn. "
                + "Vui lòng lấy số thứ tự thông thường hoặc đặt lịch mới."
        case .refused(.anotherDay):
            let day = LocalDate(bookedStart, in: timeZone)
            return "Lịch hẹn của bạn vào \(time) ngày \(day.vietnamese), không phải hôm nay."
        }
    }

    /// What the kiosk tells the citizen, in English; times as HH:mm in `timeZone`.
    public func en(bookedStart: Date, timeZone: TimeZone) -> String {
        let time = TimeOfDay(bookedStart, in: timeZone)
        let asWalkIn = "your number joins the queue in order of arrival, like a walk-in."
        switch self {
        case .onTime:
            return "You are on time for your \(time) appointment; you will be called at your booked time."
        case .early(let minutes, .waitForSlot):
            return "You are \(Self.minutesEn(minutes)) early; you will be called at about \(time), your booked time."
        case .early(let minutes, .joinAsWalkIn):
            return "You are \(Self.minutesEn(minutes)) early for your \(time) appointment; " + asWalkIn
        case .late(let minutes):
            return "You are \(Self.minutesEn(minutes)) late for your \(time) appointment; " + asWalkIn
        case .refused(.tooLate(let minutes)):
            return "You are \(Self.minutesEn(minutes)) late for your \(time) appointment and check-in has closed. "
                + "Please take an ordinary number or book again."
        case .refused(.anotherDay):
            return "Your appointment is at \(time) on \(LocalDate(bookedStart, in: timeZone).iso), not today."
        }
    }

    private static func minutesEn(_ minutes: Int) -> String {
        minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }
}

extension TimeOfDay {
    /// The wall-clock time of an instant at the site, to the minute (seconds dropped).
    init(_ date: Date, in timeZone: TimeZone) {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let minuteOfDay = local.floorDivided(by: 60) - local.floorDivided(by: 86_400) * 1440
        // Always within 00:00–23:59, so the checked initialiser cannot fail.
        self.init(hour: minuteOfDay / 60, minute: minuteOfDay % 60)!
    }
}
