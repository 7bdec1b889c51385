import Testing
@testable import MotcuaCore

/// Ranking beyond ProcedureCatalogTests: each rank in its place, punctuation, and the
/// synthetic province-sized catalog the benchmark searches.
@Suite struct ProcedureSearchTests {
    static func procedure(_ code: String, _ name: String, field: String = "Hộ tịch") -> Procedure {
        ProcedureCatalogTests.procedure(code, name, field: field)
    }

    let catalog = ProcedureCatalog([
        procedure("1.000001", "Cấp bản sao trích lục hộ tịch"),
        procedure("1.000002", "Trích lục"),
        procedure("1.000003", "Trích lục hộ tịch khác"),
        procedure("1.000004", "Cấp lại trích lục kết hôn"),
        procedure("1.000005", "Cấp giấy xác nhận (bản sao trích lục)"),
        procedure("1.000006", "Xác nhận tình trạng hôn nhân", field: "Trích lục và xác nhận"),
        procedure("9.000001", "Nhận cha, mẹ, con"),
        procedure("2.000010", "Giấy phép kinh doanh"),
        procedure("4.000001", "Đăng ký thường trú"),
        procedure("4.000002", "Trợ cấp cho ông bà"),
    ])

    @Test func eachRankInItsPlace() {
        let found = catalog.search("trich luc").map(\.code)

        // Exact name; name prefix; every word starting a word (by code); field only.
        #expect(found == ["1.000002", "1.000003", "1.000001", "1.000004", "1.000005", "1.000006"])
    }

    @Test func wordStartsComeBeforeWordsFoundInsideOthers() {
        let found = catalog.search("ong").map(\.code)

        // "ông" is a word of 4.000002; "ong" is only inside "thường" in 4.000001.
        #expect(found == ["4.000002", "4.000001"])
    }

    @Test func anExactCodeBeatsEverythingAndAPrefixComesAfterNames() {
        #expect(catalog.search("1.000004").map(\.code) == ["1.000004"])
        #expect(catalog.search("9.0").map(\.code) == ["9.000001"])
        #expect(catalog.search("2.000010 ").first?.code == "2.000010")
    }

    @Test func punctuationSplitsWordsLikeSpaces() {
        #expect(catalog.search("nhan cha me con").map(\.code) == ["9.000001"])
        #expect(catalog.search("Nhận cha, mẹ, con").map(\.code) == ["9.000001"])
        #expect(catalog.search("(ban sao trich luc)").first?.code == "1.000001")
    }

    @Test func aNegativeLimitGivesNothing() {
        #expect(catalog.search("trich luc", limit: -1).isEmpty)
        #expect(catalog.search("", limit: -1).isEmpty)
    }

    @Test func theSyntheticCatalogIsTheSameEveryTimeWithUniqueCodes() {
        let first = SyntheticCatalog.procedures(count: 2_000)
        let again = SyntheticCatalog.procedures(count: 2_000)

        #expect(first == again)
        #expect(Set(first.map(\.code)).count == 2_000)
        #expect(first[0].code == "1.000000" && first[0].name == "Thủ tục đăng ký khai sinh")
        #expect(first[1_999].code == "2.001999")
    }

    @Test func searchingTheSyntheticCatalogRanksAndLimits() {
        let catalog = ProcedureCatalog(SyntheticCatalog.procedures(count: 2_000))

        let exact = catalog.search("dang ky khai sinh")
        let loose = catalog.search("cap giay", limit: 10)

        #expect(exact.first?.code == "1.000000")
        #expect(exact.allSatisfy { VietnameseText.searchKey($0.name).contains("khai sinh") })
        #expect(loose.count == 10)
        #expect(catalog.search("xyzzy").isEmpty)
    }
}
