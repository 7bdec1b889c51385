import Foundation

/// One call of a ticket to a counter, as the hall hears it: "Mời số A không một hai đến Quầy 3".
struct Announcement: Sendable, Hashable {
    let ticketNumber: String
    let counterName: String

    /// Both names are kept NFC (the project's stored form), so the same call always makes the
    /// same text and hence the same cached audio.
    init(ticketNumber: String, counterName: String) {
        self.ticketNumber = ticketNumber.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        self.counterName = counterName.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
    }

    /// The sentence to speak, also fit to show as a caption. The counter is said by its name as
    /// given ("Quầy 3", "Phòng khám Nội"): that is what its sign says, and espeak-ng reads a
    /// number in it as a number ("Quầy 12" → "quầy mười hai"), as counter calls do.
    func text(language: Language) -> String {
        let number = Self.spoken(ticketNumber, in: language)
        switch language {
        case .vi: return "Mời số \(number) đến \(counterName)"
        case .en: return "Ticket \(number), please go to \(counterName)"
        }
    }

    /// A ticket number said character by character: letters by their Vietnamese names, digits
    /// one by one with leading zeros ("A012" → "A không một hai", not "A mười hai"). Vietnamese
    /// queue-calling systems spell the number this way so the listener can match it against the
    /// printed ticket; separators such as "-" are not said.
    private static func spoken(_ ticketNumber: String, in language: Language) -> String {
        ticketNumber.uppercased().compactMap { character -> String? in
            if character.isASCII, let digit = character.wholeNumberValue {
                return (language == .vi ? vietnameseDigits : englishDigits)[digit]
            }
            guard character.isLetter else { return nil }
            return language == .vi ? vietnameseLetters[character] ?? String(character) : String(character)
        }.joined(separator: " ")
    }

    private static let vietnameseDigits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    private static let englishDigits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    /// The names Vietnamese give Latin letters when spelling codes and abbreviations (the
    /// alphabet's letter names; F, J, W, Z by their French-derived names). Where usage varies
    /// the pick is the one least easily confused in a hall: D is "đê" as in spoken
    /// abbreviations (also espeak-ng's own reading of "D"), the two-syllable "e-lờ", "en-nờ",
    /// "ét-xì", "ích-xì" rather than bare "en", "ét", "ích", and Y is "i dài" to set it apart
    /// from I. A vowel's name is the vowel itself, kept as the capital letter.
    private static let vietnameseLetters: [Character: String] = [
        "A": "A", "B": "bê", "C": "xê", "D": "đê", "E": "E", "F": "ép", "G": "giê", "H": "hát",
        "I": "I", "J": "di", "K": "ca", "L": "e-lờ", "M": "em-mờ", "N": "en-nờ", "O": "O",
        "P": "pê", "Q": "quy", "R": "e-rờ", "S": "ét-xì", "T": "tê", "U": "U", "V": "vê",
        "W": "vê kép", "X": "ích-xì", "Y": "i dài", "Z": "dét",
    ]
}
