import Foundation

/// Who is served first at the desk. The usual categories of Vietnamese one-stop offices;
/// which of them a site offers is set in its `QueuePolicy`.
public enum PriorityCategory: String, Codable, Sendable, CaseIterable {
    case elderly
    case disability
    case pregnancy
    case smallChildren = "small_children"
    /// Người có công với cách mạng.
    case meritorious

    /// The kiosk's button, Vietnamese.
    public var vi: String {
        switch self {
        case .elderly: "Người cao tuổi (từ 60 tuổi)"
        case .disability: "Người khuyết tật"
        case .pregnancy: "Phụ nữ mang thai"
        case .smallChildren: "Người đi cùng trẻ nhỏ (dưới 6 tuổi)"
        case .meritorious: "Người có công với cách mạng"
        }
    }

    /// The kiosk's button, English.
    public var en: String {
        switch self {
        case .elderly: "Elderly (60 or over)"
        case .disability: "Person with a disability"
        case .pregnancy: "Pregnant woman"
        case .smallChildren: "With a small child (under 6)"
        case .meritorious: "Person with meritorious service (người có công)"
        }
    }

    /// The line under the button, Vietnamese: who may choose it.
    public var explanationVi: String {
        switch self {
        case .elderly: "Công dân từ đủ 60 tuổi trở lên (Luật Người cao tuổi)."
        case .disability: "Người có khiếm khuyết về vận động, nghe, nhìn, trí tuệ hoặc thần kinh."
        case .pregnancy: "Phụ nữ đang mang thai."
        case .smallChildren: "Người đang bế hoặc đi cùng con nhỏ dưới 6 tuổi."
        case .meritorious: "Thương binh, bệnh binh, thân nhân liệt sĩ, Bà mẹ Việt Nam anh hùng và người có công khác."
        }
    }

    /// The line under the button, English: who may choose it.
    public var explanationEn: String {
        switch self {
        case .elderly: "Citizens aged 60 or over (Law on the Elderly)."
        case .disability: "People with a physical, hearing, visual, intellectual or mental impairment."
        case .pregnancy: "Women who are pregnant."
        case .smallChildren: "People carrying or accompanying a child under 6."
        case .meritorious: "War invalids, sick soldiers, martyrs' relatives, Heroic Vietnamese Mothers and others with meritorious service to the revolution."
        }
    }
}

/// How a site runs its walk-in queue: who has priority, how priority is kept fair, and how
/// bookings join when their holder checks in. Every field has a default (below), so a site's
/// configuration only names what it changes; numbers below zero count as zero.
///
/// Defaults:
/// - `priorityCategories`: all five categories;
/// - `fairness`: `.strict` — priority is served first, as citizens expect at the desk;
/// - check-in window: from 15 minutes before to 10 minutes after the booked start;
/// - `earlyCheckIn`: `.waitForSlot`; `lateCheckIn`: `.joinAsWalkIn`;
/// - `dueLeadMinutes`: 5 — a checked-in booking goes ahead of walk-ins from 5 minutes
///   before its booked start, so its holder reaches the counter on time.
public struct QueuePolicy: Sendable, Equatable, Codable {
    /// How priority tickets share the counters with the others. Either way nobody waits for
    /// ever: under `.strict` the others are served as soon as no priority ticket waits, under
    /// `.onePriorityPer` they get their `regular` calls between priority calls.
    public enum Fairness: Sendable, Equatable, Codable {
        /// A waiting priority ticket is always called first.
        case strict
        /// After a priority call, up to `regular` other tickets are called before the next
        /// priority ticket, as long as other tickets wait. `regular` of 0 is `.strict`.
        case onePriorityPer(regular: Int)
    }

    /// A booking checked in before its window opens.
    public enum EarlyCheckIn: String, Sendable, Equatable, Codable {
        /// Takes a ticket that keeps the booked start: it goes ahead of walk-ins once due.
        case waitForSlot = "wait_for_slot"
        /// Takes an ordinary ticket; the booking's time is given up.
        case joinAsWalkIn = "join_as_walk_in"
    }

    /// A booking checked in after its window closed.
    public enum LateCheckIn: String, Sendable, Equatable, Codable {
        /// Takes an ordinary ticket; the booking's time is given up.
        case joinAsWalkIn = "join_as_walk_in"
        /// No ticket: the citizen takes a walk-in number or books again.
        case refuse
    }

    /// The categories the kiosk offers. A ticket keeps the priority printed on it even if
    /// the category is switched off later that day.
    public let priorityCategories: Set<PriorityCategory>
    public let fairness: Fairness
    /// A check-in from this many minutes before the booked start counts as on time.
    public let checkInMinutesBefore: Int
    /// A check-in up to this many minutes after the booked start counts as on time.
    public let checkInMinutesAfter: Int
    public let earlyCheckIn: EarlyCheckIn
    public let lateCheckIn: LateCheckIn
    /// A checked-in booking is due, and goes ahead of walk-ins, from this many minutes
    /// before its booked start.
    public let dueLeadMinutes: Int

    public init(
        priorityCategories: Set<PriorityCategory> = Set(PriorityCategory.allCases),
        fairness: Fairness = .strict,
        checkInMinutesBefore: Int = 15,
        checkInMinutesAfter: Int = 10,
        earlyCheckIn: EarlyCheckIn = .waitForSlot,
        lateCheckIn: LateCheckIn = .joinAsWalkIn,
        dueLeadMinutes: Int = 5
    ) {
        self.priorityCategories = priorityCategories
        self.fairness = fairness
        self.checkInMinutesBefore = max(0, checkInMinutesBefore)
        self.checkInMinutesAfter = max(0, checkInMinutesAfter)
        self.earlyCheckIn = earlyCheckIn
        self.lateCheckIn = lateCheckIn
        self.dueLeadMinutes = max(0, dueLeadMinutes)
    }

    enum CodingKeys: String, CodingKey {
        case priorityCategories, fairness, checkInMinutesBefore, checkInMinutesAfter, earlyCheckIn, lateCheckIn, dueLeadMinutes
    }

    /// Reads a site's configuration: a missing field takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = QueuePolicy()
        self.init(
            priorityCategories: try container.decodeIfPresent(Set<PriorityCategory>.self, forKey: .priorityCategories)
                ?? defaults.priorityCategories,
            fairness: try container.decodeIfPresent(Fairness.self, forKey: .fairness) ?? defaults.fairness,
            checkInMinutesBefore: try container.decodeIfPresent(Int.self, forKey: .checkInMinutesBefore)
                ?? defaults.checkInMinutesBefore,
            checkInMinutesAfter: try container.decodeIfPresent(Int.self, forKey: .checkInMinutesAfter)
                ?? defaults.checkInMinutesAfter,
            earlyCheckIn: try container.decodeIfPresent(EarlyCheckIn.self, forKey: .earlyCheckIn) ?? defaults.earlyCheckIn,
            lateCheckIn: try container.decodeIfPresent(LateCheckIn.self, forKey: .lateCheckIn) ?? defaults.lateCheckIn,
            dueLeadMinutes: try container.decodeIfPresent(Int.self, forKey: .dueLeadMinutes) ?? defaults.dueLeadMinutes
        )
    }
}
