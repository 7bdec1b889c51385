/// A made-up catalog the size of a province's (about 2,000 procedures), for benchmarks and
/// tests of search. Names are built from the words real procedure names use, so keys have
/// realistic lengths and shared prefixes; the same `count` always gives the same catalog.
public enum SyntheticCatalog {
    public static func procedures(count: Int) -> [Procedure] {
        (0..<count).map { n in
            let action = actions[n % actions.count]
            let subject = subjects[(n / actions.count) % subjects.count]
            // A stride coprime with the list length spreads qualifiers over every pair.
            let qualifier = qualifiers[(n * 7 + n / (actions.count * subjects.count)) % qualifiers.count]
            let name = [action, subject, qualifier].filter { !$0.isEmpty }.joined(separator: " ")
            return Procedure(
                code: "\(1 + n % 3).\(String(1_000_000 + n).dropFirst())",
                name: n % 4 == 0 ? "Thủ tục " + name.lowercasedFirst : name,
                nameEn: "Synthetic procedure \(n)",
                field: fields[n % fields.count],
                agency: "Ủy ban nhân dân cấp xã",
                level: .commune,
                serviceId: ["A", "B", "C"][n % 3],
                processingDays: n % 20,
                fees: [],
                documents: [Procedure.Document(name: "Tờ khai theo mẫu", originals: 1, copies: 0)],
                source: nil
            )
        }
    }

    private static let actions = [
        "Đăng ký", "Cấp", "Cấp lại", "Cấp đổi", "Điều chỉnh", "Gia hạn", "Xác nhận", "Thẩm định",
        "Chứng thực", "Công nhận", "Thu hồi", "Đăng ký lại", "Thay đổi", "Giải quyết", "Phê duyệt",
    ]
    private static let subjects = [
        "khai sinh", "kết hôn", "khai tử", "giám hộ", "nhận cha, mẹ, con", "thay đổi, cải chính hộ tịch",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "giấy phép xây dựng nhà ở riêng lẻ",
        "hộ kinh doanh", "Giấy phép bán lẻ sản phẩm thuốc lá", "Giấy phép bán lẻ rượu", "chứng chỉ hành nghề",
        "trợ cấp xã hội hằng tháng", "hỗ trợ chi phí mai táng", "thường trú", "tạm trú", "giấy xác nhận tình trạng hôn nhân",
        "bản sao trích lục hộ tịch", "hợp đồng, giao dịch", "chữ ký người dịch", "biến động đất đai",
        "tách thửa, hợp thửa đất", "chuyển mục đích sử dụng đất", "cơ sở giáo dục mầm non", "trường tiểu học",
        "câu lạc bộ thể thao cơ sở", "lễ hội truyền thống", "di tích lịch sử – văn hóa", "hội quần chúng",
        "trang trại", "kinh tế tập thể", "hợp tác xã", "công trình thủy lợi nhỏ", "nước sạch nông thôn",
    ]
    private static let qualifiers = [
        "", "lưu động", "có yếu tố nước ngoài", "cho người nước ngoài", "đối với hộ gia đình, cá nhân",
        "trong trường hợp bị mất, hư hỏng", "tại cấp xã", "tại cấp tỉnh", "kết hợp", "theo danh sách",
        "cho người đã có hồ sơ, giấy tờ cá nhân", "(trường hợp thay đổi chủ sở hữu)", "trực tuyến một phần",
    ]
    private static let fields = [
        "Hộ tịch", "Chứng thực", "Đất đai", "Hoạt động xây dựng", "Thành lập và hoạt động của hộ kinh doanh",
        "Lưu thông hàng hóa trong nước", "Bảo trợ xã hội", "Đăng ký, quản lý cư trú", "Giáo dục và Đào tạo",
        "Văn hóa cơ sở", "Kinh tế hợp tác", "Thủy lợi", "Việc làm", "Tôn giáo Chính phủ",
    ]
}

private extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
