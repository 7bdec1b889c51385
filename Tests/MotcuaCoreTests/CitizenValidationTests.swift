import Foundation
import Testing
@testable import MotcuaCore

/// A year fixed for every test, so "future birth year" does not drift with the clock.
private let referenceYear = 2026

private let validInput = CitizenInput(fullName: "Nguyễn Văn An", idNumber: "001203012345", phone: "0912345678")

private func validate(_ input: CitizenInput) -> Result<Citizen, FieldErrors> {
    Citizen.validate(input, referenceYear: referenceYear)
}

/// The error codes of a failed validation, by field path; empty when it succeeded.
private func errorCodes(_ result: Result<Citizen, FieldErrors>) -> [String: String] {
    guard case .failure(let failure) = result else { return [:] }
    return Dictionary(uniqueKeysWithValues: failure.errors.map { ($0.field, $0.code) })
}

private func withName(_ fullName: String?) -> CitizenInput {
    var input = validInput
    input.fullName = fullName
    return input
}

private func withIdNumber(_ idNumber: String?) -> CitizenInput {
    var input = validInput
    input.idNumber = idNumber
    return input
}

private func withPhone(_ phone: String?) -> CitizenInput {
    var input = validInput
    input.phone = phone
    return input
}

@Suite struct CitizenNameTests {
    @Test func decomposedNameIsStoredComposed() throws {
        let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n \u{0110}a\u{0302}\u{0300}u"   // "Nguyễn Văn Đầu" as NFD

        let citizen = try validate(withName(decomposed)).get()

        // String == compares canonical equivalence, so compare scalars to see the form stored.
        #expect(Array(citizen.fullName.unicodeScalars) == Array("Nguy\u{1EC5}n V\u{0103}n \u{0110}\u{1EA7}u".unicodeScalars))
    }

    @Test func whiteSpaceIsTrimmedAndCollapsedAndCapitalisationKept() throws {
        let typed = "  lò   VĂN\tpáo \n"

        let citizen = try validate(withName(typed)).get()

        #expect(citizen.fullName == "lò VĂN páo")
    }

    @Test(arguments: ["H'Hen Niê", "Lò Văn Páo", "Páo", "Ly", "Kơ-Sor H'Bia", "H'Nhi Ayŭn", "Y Bho\u{031B}\u{0306}ng"])
    func acceptsVietnameseAndMinorityNames(name: String) throws {
        let input = withName(name)

        let citizen = try validate(input).get()

        #expect(citizen.fullName == name)
    }

    @Test func typographicApostropheIsStoredAsPlainApostrophe() throws {
        let typed = "H\u{2019}Hen Niê"

        let citizen = try validate(withName(typed)).get()

        #expect(citizen.fullName == "H'Hen Niê")
    }

    @Test(arguments: ["Nguyễn Văn A1", "Nguyễn@Văn An", "Trần Thị B.", "Lê 😀 An", "Иван Петров", "王小明"])
    func refusesDigitsSymbolsAndOtherScripts(name: String) {
        let input = withName(name)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.fullName": "full_name_characters"])
    }

    @Test(arguments: ["A", "Đ", "A-", "'A"])
    func refusesFewerThanTwoLetters(name: String) {
        let input = withName(name)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.fullName": "full_name_too_short"])
    }

    @Test func acceptsOneHundredCharactersAndRefusesOneHundredAndOne() {
        let hundred = "Nguyễn " + String(repeating: "ễ", count: 93)
        let hundredAndOne = hundred + "n"

        let accepted = validate(withName(hundred))
        let refused = validate(withName(hundredAndOne))

        #expect(hundred.count == 100)
        #expect(errorCodes(accepted).isEmpty)
        #expect(errorCodes(refused) == ["citizen.fullName": "full_name_too_long"])
    }

    @Test(arguments: [nil, "", "   ", "\t\n"] as [String?])
    func refusesMissingOrBlankName(name: String?) {
        let input = withName(name)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.fullName": "full_name_required"])
    }
}

@Suite struct PersonalIdNumberTests {
    @Test func acceptsAValidNumberAndDecodesIt() throws {
        let idNumber = "001203012345"

        let citizen = try validate(withIdNumber(idNumber)).get()

        #expect(citizen.idNumber == idNumber)
        #expect(PersonalIdNumber.birthYear(fromIdNumber: idNumber) == 2003)
        #expect(PersonalIdNumber.gender(fromIdNumber: idNumber) == .male)
        #expect(PersonalIdNumber.birthYear(fromIdNumber: "079185012345") == 1985)
        #expect(PersonalIdNumber.gender(fromIdNumber: "079185012345") == .female)
    }

    @Test(arguments: ["001 203 012 345", "001.203.012.345", " 001203 012345 "])
    func stripsSpacesAndDotsTypedBetweenDigits(typed: String) throws {
        let input = withIdNumber(typed)

        let citizen = try validate(input).get()

        #expect(citizen.idNumber == "001203012345")
    }

    @Test(arguments: [("00120301234", 11), ("0012030123456", 13), ("123456789", 9)])
    func refusesWrongLength(typed: String, digitCount: Int) throws {
        let input = withIdNumber(typed)

        let failure = try #require(validate(input).failed)

        #expect(failure.errors.map(\.code) == ["id_number_length"])
        #expect(failure.errors[0].en.contains("\(digitCount) given"))
    }

    @Test(arguments: ["00120301234A", "001-203-012-345", "００１２０３０１２３４５"])
    func refusesAnythingButDigitsSpacesAndDots(typed: String) {
        let input = withIdNumber(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.idNumber": "id_number_characters"])
    }

    @Test(arguments: ["000203012345", "097203012345", "099203012345", "003203012345"])
    func refusesUnassignedProvinceCodes(typed: String) {
        let input = withIdNumber(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.idNumber": "id_number_province"])
    }

    @Test(arguments: ["001403012345", "001903012345"])
    func refusesCenturiesAfterThe2000s(typed: String) {
        let input = withIdNumber(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.idNumber": "id_number_century"])
    }

    @Test func refusesABirthYearAfterTheReferenceYear() {
        let bornNextYear = "001227012345"   // 2027
        let bornThisYear = "001226012345"   // 2026

        let refused = validate(withIdNumber(bornNextYear))
        let accepted = validate(withIdNumber(bornThisYear))

        #expect(errorCodes(refused) == ["citizen.idNumber": "id_number_birth_year"])
        #expect(errorCodes(accepted).isEmpty)
    }

    @Test(arguments: [nil, "", "  "] as [String?])
    func refusesMissingOrBlankIdNumber(typed: String?) {
        let input = withIdNumber(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.idNumber": "id_number_required"])
    }

    @Test func provinceListIsTheSixtyThreeCodesFrom001To096() {
        let codes = PersonalIdNumber.provinceCodes

        let numbers = codes.compactMap { Int($0) }

        #expect(codes.count == 63)
        #expect(codes.allSatisfy { $0.count == 3 })
        #expect(numbers.min() == 1 && numbers.max() == 96)
        #expect(["001", "048", "049", "079"].allSatisfy(codes.contains))
    }

    @Test func messagesNeverRepeatTheNumber() throws {
        let typed = "097203012345"

        let failure = try #require(validate(withIdNumber(typed)).failed)

        #expect(failure.errors.count == 1)
        #expect(!failure.errors[0].vi.contains("203012345") && !failure.errors[0].en.contains("203012345"))
    }
}

@Suite struct MobilePhoneNumberTests {
    @Test(arguments: [
        "0912345678", "0912 345 678", "091.234.5678", "091-234-5678", "(091) 234 5678",
        "+84912345678", "+84 912 345 678", "84912345678", "+84 (0) 912 345 678",
    ])
    func everyWritingNormalisesToTheNationalForm(typed: String) throws {
        let input = withPhone(typed)

        let citizen = try validate(input).get()

        #expect(citizen.phone == "0912345678")
    }

    @Test(arguments: ["024 3825 1234", "+84 24 3825 1234", "0283 829 1234"])
    func refusesLandlinesWithTheirOwnCode(typed: String) {
        let input = withPhone(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.phone": "phone_landline"])
    }

    @Test(arguments: ["0112345678", "0951234567", "0412345678"])
    func refusesUnknownPrefixes(typed: String) {
        let input = withPhone(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.phone": "phone_prefix"])
    }

    @Test(arguments: ["091234567", "09123456789", "912345678", "+1 202 555 0100", "0912abc678", "+84+912345678"])
    func refusesWrongLengthsAndWritings(typed: String) {
        let input = withPhone(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.phone": "phone_format"])
    }

    @Test(arguments: [nil, "", " "] as [String?])
    func refusesMissingOrBlankPhone(typed: String?) {
        let input = withPhone(typed)

        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.phone": "phone_required"])
    }

    @Test func everyPrefixIsAThreeDigitMobilePrefix() {
        let prefixes = MobilePhoneNumber.mobilePrefixes

        let malformed = prefixes.filter { $0.count != 3 || !$0.hasPrefix("0") || $0.hasPrefix("02") }

        #expect(prefixes.count == 36)
        #expect(malformed.isEmpty)
    }
}

@Suite struct CitizenValidationTests {
    @Test func reportsEveryBadFieldAtOnceInFieldOrder() throws {
        let input = CitizenInput(fullName: "Nguyễn Văn A1", idNumber: "0012030123", phone: "024 3825 1234")

        let failure = try #require(validate(input).failed)

        #expect(failure.errors.map(\.field) == ["citizen.fullName", "citizen.idNumber", "citizen.phone"])
        #expect(failure.errors.map(\.code) == ["full_name_characters", "id_number_length", "phone_landline"])
        #expect(failure.errors.allSatisfy { !$0.vi.isEmpty && !$0.en.isEmpty && $0.vi != $0.en })
    }

    @Test func fieldPathsFollowThePrefix() throws {
        let input = CitizenInput()

        let failure = try #require(Citizen.validate(input, referenceYear: referenceYear, fieldPrefix: "applicant").failed)

        #expect(failure.errors.map(\.field) == ["applicant.fullName", "applicant.idNumber", "applicant.phone"])
    }

    @Test func decodesPartialJSONAndReportsWhatIsMissing() throws {
        let body = Data(#"{"fullName": "Lò Văn Páo"}"#.utf8)

        let input = try JSONDecoder().decode(CitizenInput.self, from: body)
        let codes = errorCodes(validate(input))

        #expect(codes == ["citizen.idNumber": "id_number_required", "citizen.phone": "phone_required"])
    }

    @Test func printingACitizenRevealsNoPersonalData() throws {
        let citizen = try validate(validInput).get()

        let printed = "\(citizen)"
        let reflected = String(reflecting: citizen)
        var dumped = ""
        dump(citizen, to: &dumped)

        for text in [printed, reflected, dumped] {
            #expect(text.contains(Redaction.mask))
            #expect(!text.contains(citizen.idNumber))
            #expect(!text.contains(citizen.phone.dropFirst()))
            #expect(!text.contains("Nguyễn") && !text.contains(citizen.fullName))
        }
    }

    @Test func encodesTheNormalisedValuesForStorage() throws {
        let citizen = try validate(CitizenInput(fullName: " Lò  Văn Páo ", idNumber: "001 203 012 345", phone: "+84 912 345 678")).get()

        let decoded = try JSONDecoder().decode(Citizen.self, from: JSONEncoder().encode(citizen))

        #expect(decoded == citizen)
        #expect(decoded.fullName == "Lò Văn Páo" && decoded.idNumber == "001203012345" && decoded.phone == "0912345678")
    }
}

private extension Result {
    var failed: Failure? {
        guard case .failure(let failure) = self else { return nil }
        return failure
    }
}
