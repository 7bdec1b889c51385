import Foundation
import FuzzSupport
import Testing
@testable import MotcuaCore

private let today = LocalDate(year: 2026, month: 3, day: 2)!

/// A man born in 2003 in Hà Nội (001, century-and-gender digit 2), no old ID number.
private let man = "001203012345||Nguyễn Văn An|15032003|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021"
/// A woman born in 1985 in Hồ Chí Minh City (079, digit 1), with her old 9-digit ID number.
private let woman = "079185012345|023456789|Trần Thị Bích Ngọc|02091985|Nữ|123/4 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|10072022"

private func read(_ payload: String) -> Result<IdentityCard, FieldErrors> {
    IdentityCard.read(qr: payload, today: today)
}

/// The problems of a refused payload as `field: code`; empty when it was read.
private func problems(_ result: Result<IdentityCard, FieldErrors>) -> [String] {
    guard case .failure(let failure) = result else { return [] }
    return failure.errors.map { "\($0.field): \($0.code)" }
}

/// The payload with item `index` (0-based) replaced.
private func replacing(_ index: Int, with value: String, in payload: String = man) -> String {
    var items = payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    items[index] = value
    return items.joined(separator: "|")
}

@Suite struct IdentityCardReadingTests {
    @Test func readsEveryItemOfAMansCard() throws {
        let card = try read(man).get()

        #expect(card.idNumber == "001203012345")
        #expect(card.oldIdNumber == nil)
        #expect(card.fullName == "Nguyễn Văn An")
        #expect(card.birthDate.iso == "2003-03-15")
        #expect(card.gender == .male)
        #expect(card.address == "Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội")
        #expect(card.issueDate.iso == "2021-04-20")
    }

    @Test func readsAWomansCardWithHerOldIdNumber() throws {
        let card = try read(woman).get()

        #expect(card.idNumber == "079185012345")
        #expect(card.oldIdNumber == "023456789")
        #expect(card.fullName == "Trần Thị Bích Ngọc")
        #expect(card.birthDate.iso == "1985-09-02")
        #expect(card.gender == .female)
        #expect(card.issueDate.iso == "2022-07-10")
    }

    @Test(arguments: ["\n", "\r\n", "\r", "  \r\n"])
    func theEnterAKeyboardScannerTypesIsIgnored(ending: String) throws {
        let card = try read(man + ending).get()

        #expect(card == (try read(man).get()))
    }

    @Test func decomposedTextIsStoredComposedAndSpacesCollapsed() throws {
        let decomposed = replacing(2, with: "Nguye\u{0302}\u{0303}n  Va\u{0306}n An", in: replacing(4, with: "NAM"))
        let card = try read(replacing(5, with: " Số 12   Hàng Bạc ", in: decomposed)).get()

        #expect(Array(card.fullName.unicodeScalars) == Array("Nguy\u{1EC5}n V\u{0103}n An".unicodeScalars))
        #expect(card.address == "Số 12 Hàng Bạc")
        #expect(card.gender == .male)
    }

    @Test func aTwelveDigitOldIdNumberIsAccepted() throws {
        let card = try read(replacing(1, with: "001089012345")).get()

        #expect(card.oldIdNumber == "001089012345")
    }

    @Test func readsTheSameFromBytes() throws {
        let card = try IdentityCard.read(qrBytes: Array(man.utf8), today: today).get()

        #expect(card == (try read(man).get()))
    }

    @Test func printingACardRevealsNothing() throws {
        let card = try read(man).get()

        var dumped = ""
        dump(card, to: &dumped)

        for text in ["\(card)", String(reflecting: card), dumped] {
            #expect(text.contains(Redaction.mask))
            #expect(!text.contains("001203012345") && !text.contains("Nguyễn") && !text.contains("Hàng Bạc"))
        }
    }
}

@Suite struct IdentityCardShapeTests {
    @Test(arguments: ["", "   ", "\r\n"])
    func emptyIsRefused(payload: String) {
        #expect(problems(read(payload)) == ["qr: qr_empty"])
    }

    @Test func fewerItemsAreATruncatedCode() throws {
        let six = man.split(separator: "|", omittingEmptySubsequences: false).dropLast().joined(separator: "|")

        let failure = try #require(read(six).failure)

        #expect(failure.errors.map(\.code) == ["qr_truncated"])
        #expect(failure.errors[0].en.contains("only 6 of its 7 items"))
        #expect(failure.errors[0].vi.contains("chỉ có 6 trên 7 mục"))
    }

    @Test func moreItemsAreRefusedWithTheirCount() throws {
        let failure = try #require(read(man + "|" + woman).failure)

        #expect(failure.errors.map(\.code) == ["qr_field_count"])
        #expect(failure.errors[0].en.contains("has 14 items"))
    }

    @Test func twoScansSeparatedByEnterAreAControlCharacterInTheIssueDate() throws {
        let failure = try #require(read(man + "\r\n" + woman).failure)

        #expect(failure.errors.map(\.code) == ["qr_characters"])
        #expect(failure.errors[0].en.contains("issue date (item 7)"))
    }

    @Test func aHiddenCharacterPastTheSeventhItemIsNamedByNumber() throws {
        let failure = try #require(read(man + "|x|\u{7}").failure)

        #expect(failure.errors.map(\.code) == ["qr_characters"])
        #expect(failure.errors[0].en.contains("in item 9;"))
        #expect(failure.errors[0].vi.contains("ở mục thứ 9;"))
    }

    @Test func everyTruncationIsRefused() {
        let scalars = Array(man.unicodeScalars)

        let accepted = (0..<scalars.count).filter { cut in
            (try? read(String(String.UnicodeScalarView(scalars[..<cut]))).get()) != nil
        }

        #expect(accepted.isEmpty)
    }

    @Test func overLongInputIsRefusedBeforeAnyOtherCheck() {
        let justTooLong = man + "|" + String(repeating: "x", count: IdentityCard.maximumPayloadBytes - man.utf8.count)
        let huge = String(repeating: "|\u{0}", count: 500_000)

        #expect(justTooLong.utf8.count == IdentityCard.maximumPayloadBytes + 1)
        #expect(problems(read(justTooLong)) == ["qr: qr_too_long"])
        #expect(problems(read(huge)) == ["qr: qr_too_long"])
        #expect(problems(IdentityCard.read(qrBytes: [UInt8](repeating: 0x41, count: 2_000), today: today)) == ["qr: qr_too_long"])
    }
}

@Suite struct IdentityCardEncodingTests {
    /// What a scanner set to Latin-1 types for UTF-8 text: one character per byte.
    private func asLatin1(_ text: String) -> String {
        String(String.UnicodeScalarView(text.utf8.map { Unicode.Scalar($0) }))
    }

    /// The same through Windows-1252, which has printable characters at 0x80–0x9F.
    private func asWindows1252(_ text: String) -> String {
        let specials: [UInt8: Unicode.Scalar] = [
            0x80: "\u{20AC}", 0x83: "\u{0192}", 0x85: "\u{2026}", 0x91: "\u{2018}", 0x99: "\u{2122}", 0x9B: "\u{203A}",
        ]
        return String(String.UnicodeScalarView(text.utf8.map { specials[$0] ?? Unicode.Scalar($0) }))
    }

    @Test func utf8ReadAsLatin1IsRecognised() throws {
        let garbled = asLatin1(man)

        let failure = try #require(read(garbled).failure)

        #expect(garbled.contains("Nguyá»"))
        #expect(failure.errors.map(\.code) == ["qr_misdecoded"])
        #expect(failure.errors[0].en.contains("wrong character encoding"))
    }

    @Test func utf8ReadAsWindows1252IsRecognised() {
        // Only characters whose UTF-8 bytes Windows-1252 can all show (no 0x81, 0x8D, 0x8F, 0x90, 0x9D).
        let garbled = asWindows1252("001203012345||Nguyễn Văn An|15032003|Nam|Số 12 Hàng Bạc, Hà Nội|20042021")

        #expect(garbled.contains("\u{2026}"))
        #expect(problems(read(garbled)) == ["qr: qr_misdecoded"])
    }

    @Test func vietnameseWithLatin1LettersIsNotMistakenForGarbledText() throws {
        let card = try read(replacing(2, with: "Lê Thị Hà Ánh Ô", in: replacing(5, with: "Ấp Ông Đồ, xã Tân Hòa, Àn Ý"))).get()

        #expect(card.fullName == "Lê Thị Hà Ánh Ô")
    }

    @Test func invalidUTF8BytesAreRefusedNotReplaced() {
        var bytes = Array(man.utf8)
        bytes.insert(0xFF, at: 20)
        let cutInsideALetter = Array(Array("001203012345||Nguyễn".utf8).dropLast(2))

        #expect(problems(IdentityCard.read(qrBytes: bytes, today: today)) == ["qr: qr_not_utf8"])
        #expect(problems(IdentityCard.read(qrBytes: cutInsideALetter, today: today)) == ["qr: qr_not_utf8"])
    }

    @Test func theReplacementCharacterMeansTextAlreadyDamaged() {
        #expect(problems(read(replacing(2, with: "Nguy\u{FFFD}n Văn An"))) == ["qr: qr_not_utf8"])
    }

    @Test(arguments: [
        (2, "Nguyễn\u{0}Văn An", "full name (item 3)"),
        (2, "Nguyễn\u{1B}[31mVăn An", "full name (item 3)"),
        (5, "Số 12\tHàng Bạc", "permanent address (item 6)"),
        (5, "Số 12 \u{202E}cạB gnàH", "permanent address (item 6)"),
        (0, "001203\u{200B}012345", "personal ID number (item 1)"),
        (6, "2004\u{85}2021", "issue date (item 7)"),
    ])
    func controlAndInvisibleCharactersAreRefusedNamingTheItem(index: Int, value: String, named: String) throws {
        let failure = try #require(read(replacing(index, with: value)).failure)

        #expect(failure.errors.map(\.code) == ["qr_characters"])
        #expect(failure.errors[0].en.contains(named))
    }
}

@Suite struct IdentityCardItemTests {
    @Test(arguments: [
        (3, "31022003", "qr.birthDate: card_date"),
        (3, "15132003", "qr.birthDate: card_date"),
        (3, "1503203", "qr.birthDate: card_date"),
        (3, "15/03/2003", "qr.birthDate: card_date"),
        (3, "１５０３２００３", "qr.birthDate: card_date"),
        (6, "00002021", "qr.issueDate: card_date"),
        (6, "20042027", "qr.issueDate: card_date_future"),
        (6, "01012000", "qr.issueDate: card_issued_before_birth"),
        (3, "15032004", "qr.birthDate: card_birth_year_mismatch"),
        (4, "Nữ", "qr.gender: card_gender_mismatch"),
        (4, "Male", "qr.gender: card_gender"),
        (4, "", "qr.gender: card_gender"),
        (0, "097203012345", "qr.idNumber: id_number_province"),
        (0, "00120301234", "qr.idNumber: id_number_length"),
        (0, "00120301234X", "qr.idNumber: id_number_characters"),
        (0, "001227012345", "qr.idNumber: id_number_birth_year"),
        (1, "12345", "qr.oldIdNumber: old_id_number_format"),
        (1, "02345678A", "qr.oldIdNumber: old_id_number_format"),
        (2, "", "qr.fullName: full_name_required"),
        (2, "Nguyễn Văn A1", "qr.fullName: full_name_characters"),
        (5, "   ", "qr.address: card_address_required"),
    ])
    func eachBadItemIsReportedOnItsField(index: Int, value: String, expected: String) {
        #expect(problems(read(replacing(index, with: value))) == [expected])
    }

    @Test func aBirthDateInTheFutureIsRefused() {
        // Born 2026 by the ID number, on a day after `today`.
        let payload = "001226012345||Lò Văn Páo|01122026|Nam|Bản Mường, Điện Biên|01122026"

        #expect(problems(read(payload)) == ["qr.birthDate: card_date_future", "qr.issueDate: card_date_future"])
    }

    @Test func anOverLongAddressIsRefused() {
        let address = String(repeating: "a", count: IdentityCard.maximumAddressLength + 1)

        #expect(problems(read(replacing(5, with: address))) == ["qr.address: card_address_too_long"])
    }

    @Test func everyBadItemIsReportedAtOnceInItemOrder() throws {
        let payload = "097203012345|12|Nguyễn Văn A1|31022003|Male| |2004202"

        let failure = try #require(read(payload).failure)

        #expect(failure.errors.map(\.field) == [
            "qr.idNumber", "qr.oldIdNumber", "qr.fullName", "qr.birthDate", "qr.gender", "qr.address", "qr.issueDate",
        ])
        #expect(failure.errors.allSatisfy { !$0.vi.isEmpty && !$0.en.isEmpty && $0.vi != $0.en })
    }

    @Test func messagesNeverRepeatWhatWasRead() throws {
        let payload = "097203012345|12|Nguyễn Văn A1|31022003|Male|Số 12 Hàng Bạc|2004202"

        let failure = try #require(read(payload).failure)

        for error in failure.errors {
            for secret in ["097203012345", "Nguyễn", "Hàng Bạc", "31022003"] {
                #expect(!error.vi.contains(secret) && !error.en.contains(secret))
            }
        }
    }
}

/// Whatever is read must satisfy what the rest of the system assumes of a card.
private func isSound(_ card: IdentityCard) -> Bool {
    card.idNumber.utf8.count == 12 && card.idNumber.allSatisfy(\.isASCIIDigit)
        && card.birthDate <= today && card.issueDate <= today && card.birthDate <= card.issueDate
        && card.fullName == VietnameseText.nfc(card.fullName) && !card.fullName.isEmpty
        && !card.address.isEmpty && card.address.count <= IdentityCard.maximumAddressLength
        && !(card.fullName + card.address).unicodeScalars.contains(where: TextScalars.isHidden)
}

/// Either a sound card or at least one error, each complete and on the `qr` field.
private func isWellFormed(_ result: Result<IdentityCard, FieldErrors>) -> Bool {
    switch result {
    case .success(let card): isSound(card)
    case .failure(let failure):
        !failure.errors.isEmpty && failure.errors.allSatisfy {
            ($0.field == "qr" || $0.field.hasPrefix("qr.")) && !$0.code.isEmpty && !$0.vi.isEmpty && !$0.en.isEmpty
        }
    }
}

@Suite struct IdentityCardHostileInputTests {
    @Test func tenThousandRandomByteStringsGiveAnErrorOrASoundCard() {
        var generator = SplitMix64(seed: 2026)

        let results = (0..<10_000).map { _ in
            let bytes = (0..<Int.random(in: 0...1_200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return IdentityCard.read(qrBytes: bytes, today: today)
        }

        #expect(results.allSatisfy(isWellFormed))
    }

    /// Changes near a valid payload reach past the shape checks into every item's rules.
    @Test func tenThousandMutatedPayloadsGiveAnErrorOrASoundCard() {
        var generator = SplitMix64(seed: 49)
        let pool: [Unicode.Scalar] = Array("0123456789|/ -.AaĐđễơưNữam\u{0}\t\n\r\u{7F}\u{85}\u{200B}\u{202E}\u{FFFD}ÃÆ»\u{0303}😀".unicodeScalars)
        let originals = [man, woman].map { Array($0.unicodeScalars) }

        let results = (0..<10_000).map { _ in
            var scalars = originals[Int.random(in: 0...1, using: &generator)]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<scalars.count, using: &generator)
                switch Int.random(in: 0...3, using: &generator) {
                case 0: scalars.remove(at: position)
                case 1: scalars.insert(pool.randomElement(using: &generator)!, at: position)
                case 2: scalars[position] = pool.randomElement(using: &generator)!
                default: scalars[position] = Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &generator))
                }
                if scalars.isEmpty { break }
            }
            return read(String(String.UnicodeScalarView(scalars)))
        }

        #expect(results.allSatisfy(isWellFormed))
        // Both outcomes happen, so the test reaches the item rules and the success path.
        #expect(results.contains { (try? $0.get()) != nil })
        #expect(results.contains { $0.failure?.errors.contains { $0.field.hasPrefix("qr.") } ?? false })
    }
}

/// The QR reader fuzzed (issue "Hardening"): generated payloads, each either a card the rest
/// of the system can rely on or a complete refusal. `MOTCUA_FUZZ_ITERATIONS` and
/// `MOTCUA_FUZZ_SEED` change the run. Inputs are bounded, so a hang shows as this test never
/// finishing.
@Suite struct IdentityCardFuzzTests {
    static let campaign = FuzzCampaign(
        "identity card QR",
        seeds: [
            man, woman, man + "\r\n", replacing(1, with: "001089012345"),
            replacing(2, with: "Nguye\u{0302}\u{0303}n  Va\u{0306}n An", in: replacing(4, with: "NAM")),
        ],
        alphabet: "0123456789|||| ,./-aAnmNgyễư".map(String.init) + ["Nam", "Nữ", "Nguyễn", "Hà Nội", "e\u{0302}\u{0303}"],
        extraTokens: ["Nam", "Nữ", "NAM", "nữ", "29022004", "29022003", "31122025", "01012100", "001203012345", "079185012345"]
    )

    /// The card written back as the payload it came from.
    private static func payload(of card: IdentityCard) -> String {
        func written(_ date: LocalDate) -> String { String(format: "%02d%02d%04d", date.day, date.month, date.year) }
        return [
            card.idNumber, card.oldIdNumber ?? "", card.fullName, written(card.birthDate), card.gender == .male ? "Nam" : "Nữ",
            card.address, written(card.issueDate),
        ].joined(separator: "|")
    }

    private static func isCollapsed(_ text: String) -> Bool {
        text == VietnameseText.nfc(text) && text == text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func check(_ input: FuzzInput) -> FuzzVerdict {
        let result = IdentityCard.read(qrBytes: input.bytes, today: today)
        // A camera decoder hands bytes, a keyboard scanner text: the same payload reads the same.
        if let text = String(validating: input.bytes, as: UTF8.self), IdentityCard.read(qr: text, today: today) != result {
            return .violated("the bytes and the text of one payload read differently")
        }
        guard isWellFormed(result) else { return .violated("an unsound card or an incomplete refusal: \(result)") }
        switch result {
        case .success(let card):
            guard PersonalIdNumber.birthYear(fromIdNumber: card.idNumber) == card.birthDate.year,
                  PersonalIdNumber.gender(fromIdNumber: card.idNumber) == card.gender
            else { return .violated("the ID number disagrees with the birth year or gender") }
            guard card.oldIdNumber.map({ [9, 12].contains($0.utf8.count) && $0.allSatisfy(\.isASCIIDigit) }) ?? true else {
                return .violated("old ID number \(card.oldIdNumber ?? "")")
            }
            guard isCollapsed(card.fullName), isCollapsed(card.address) else { return .violated("name or address not NFC and collapsed") }
            // What was read is already in normal form: written back, it reads as itself.
            guard IdentityCard.read(qr: payload(of: card), today: today) == .success(card) else {
                return .violated("the card written back reads differently")
            }
            return .accepted
        case .failure(let failure):
            // Messages never repeat the value read: no ID number (9 or more digits) of the payload.
            let numbers = input.text.split(separator: "|").filter { $0.utf8.count >= 9 && $0.allSatisfy(\.isASCIIDigit) }
            if failure.errors.contains(where: { error in numbers.contains { error.vi.contains($0) || error.en.contains($0) } }) {
                return .violated("a message repeats an ID number read")
            }
            return .refused(failure.errors.count == 1 && failure.errors[0].field == "qr" ? failure.errors[0].code : "item rules")
        }
    }

    @Test func theSeedsAreRead() {
        let results = Self.campaign.seeds.map { IdentityCard.read(qrBytes: $0, today: today) }

        #expect(results.allSatisfy { (try? $0.get()) != nil })
    }

    @Test func everyPayloadGivesASoundCardOrACompleteRefusal() {
        let settings = FuzzSettings.current(defaultIterations: 5_000)

        let report = Self.campaign.run(settings, Self.check)

        #expect(report.shortcomings(acceptingAtLeast: 0.01) == [], "\(report)")
        // Not vacuous: some payloads read (above), and mutated ones reach the item rules.
        #expect(report.refusals["item rules", default: 0] >= settings.iterations / 20, "\(report)")
    }
}
