import Testing
@testable import MotcuaCore

@Suite struct ProcedureCatalogTests {
    static func procedure(_ code: String, _ name: String, field: String = "Hộ tịch") -> Procedure {
        Procedure(
            code: code, name: name, nameEn: name, field: field, agency: "UBND cấp xã", level: .commune, serviceId: "A",
            processingDays: 1, fees: [], documents: [], source: nil
        )
    }

    let catalog = ProcedureCatalog([
        procedure("1.000893", "Đăng ký khai sinh lưu động"),
        procedure("1.001193", "Thủ tục đăng ký khai sinh"),
        procedure("1.000894", "Đăng ký kết hôn"),
        procedure("2.000815", "Chứng thực bản sao từ bản chính", field: "Chứng thực"),
        procedure("1.004227", "Cấp giấy phép xây dựng", field: "Xây dựng"),
    ])

    @Test func findsWithoutDiacriticsAndRanksTheExactNameFirst() {
        let found = catalog.search("dang ky khai sinh").map(\.code)
        #expect(found == ["1.001193", "1.000893"])
    }

    @Test func theGenericWordThuTucDoesNotStopAnExactMatch() {
        #expect(catalog.search("Đăng ký khai sinh").first?.code == "1.001193")
        #expect(catalog.search("thu tuc dang ky khai sinh").first?.code == "1.001193")
    }

    @Test func exactCodeComesFirst() {
        #expect(catalog.search("2.000815").first?.code == "2.000815")
        #expect(catalog.search("1.00").count == 4)
    }

    @Test func everyWordMustMatchInNameOrField() {
        #expect(catalog.search("KẾT HÔN").map(\.code) == ["1.000894"])
        #expect(catalog.search("xay dung giay phep").map(\.code) == ["1.004227"])
        #expect(catalog.search("chung thuc").map(\.code) == ["2.000815"])
        #expect(catalog.search("khai sinh xay dung").isEmpty)
    }

    @Test func emptyQueryListsByCodeUpToTheLimit() {
        #expect(catalog.search("  ").map(\.code) == ["1.000893", "1.000894", "1.001193", "1.004227", "2.000815"])
        #expect(catalog.search("", limit: 2).count == 2)
    }
}
