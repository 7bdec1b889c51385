extension PrintedForm {
    /// Made-up values in Vietnamese filling every field of the form: for previewing an edited
    /// layout, for a test print, and for the tests.
    public var specimen: [String: LayoutValue] {
        switch self {
        case .ticket:
            [
                "centreName": "Trung tâm Phục vụ hành chính công Quận Đống Đa",
                "serviceName": "Tư pháp – Hộ tịch",
                "ticketNumber": "A012",
                "issuedAt": "09:00, 01/03/2027",
                "peopleAhead": "5",
                "estimatedWait": "khoảng 15 phút",
                "pass": "MT1.hn-dong-da.123456.q3Xv0dVb9kR2mZ8w",
            ]
        case .booking:
            [
                "centreName": "Trung tâm Phục vụ hành chính công Quận Đống Đa",
                "centreAddress": "Số 2 phố Đông Các, Phường Ô Chợ Dừa, Quận Đống Đa, Thành phố Hà Nội",
                "bookingCode": "K7MQ-3XHP",
                "serviceName": "Tư pháp – Hộ tịch",
                "appointmentDate": "Thứ Hai, 01/03/2027",
                "appointmentTime": "09:00 – 09:30",
                "citizenName": "Nguyễn Thị Hồng Nhung",
                "pass": Self.specimenPass,
            ]
        case .checklist:
            [
                "centreName": "Trung tâm Phục vụ hành chính công Quận Đống Đa",
                "procedureName": "Đăng ký khai sinh",
                "procedureCode": "1.001193",
                "processingDays": "1",
                "fees": "Miễn lệ phí",
                "dossierCode": "NHAP-270301-0042",
                "documents": Self.birthRegistrationDocuments,
                "pass": Self.specimenPass,
            ]
        case .receipt:
            Self.oneStopSpecimen.merging([
                "dossierSets": "01",
                "processingDays": "01",
                "receivedAt": "09 giờ 00 phút, ngày 01 tháng 03 năm 2027",
                "returnAt": "16 giờ 30 phút, ngày 02 tháng 03 năm 2027",
                "returnMethod": "Bộ phận Một cửa Phường Ô Chợ Dừa",
                "fees": "Miễn lệ phí",
                "registerBook": "03",
                "registerNumber": "142",
                "lookupCode": "K7MQ3XHP",
                "statusUrl": "https://dichvucong.hanoi.gov.vn/tra-cuu?ma=000.00.01.H26-270301-0001",
                "documents": Self.birthRegistrationDocuments,
            ]) { $1 }
        case .supplement:
            Self.oneStopSpecimen.merging([
                "receivedAt": "09 giờ 00 phút, ngày 01 tháng 03 năm 2027",
                "reason": "Giấy chứng sinh là bản chụp, không đọc được họ tên người mẹ.",
                "officerPhone": "024 3851 2345",
                "documents": [
                    ["name": "Giấy chứng sinh", "note": "bản chính do cơ sở y tế cấp"],
                    ["name": "Tờ khai đăng ký khai sinh", "note": "ghi đủ quê quán của cha và mẹ"],
                ],
            ]) { $1 }
        case .refusal:
            Self.oneStopSpecimen.merging([
                "reason": "Việc khai sinh cho trẻ thuộc thẩm quyền của Ủy ban nhân dân nơi cư trú của cha hoặc mẹ.",
            ]) { $1 }
        }
    }

    private static let specimenPass: LayoutValue =
        "MC1.T.A012.HN01.A.20270301T0900.20270301T1700.ab12cd34.SIGNATURE_BASE64URL_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

    private static let birthRegistrationDocuments: LayoutValue = [
        ["name": "Tờ khai đăng ký khai sinh (theo mẫu)", "originals": "1", "copies": "0"],
        ["name": "Giấy chứng sinh do cơ sở y tế cấp", "originals": "1", "copies": "0"],
        ["name": "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)", "originals": "0", "copies": "1"],
        ["name": "Văn bản ủy quyền có chứng thực (nếu nộp thay)", "originals": "1", "copies": "0"],
    ]

    private static let oneStopSpecimen: [String: LayoutValue] = [
        "agencyName": "UBND PHƯỜNG Ô CHỢ DỪA",
        "receivingUnit": "Bộ phận Một cửa Phường Ô Chợ Dừa",
        "place": "Hà Nội",
        "date": "ngày 01 tháng 03 năm 2027",
        "dossierCode": "000.00.01.H26-270301-0001",
        "procedureName": "Đăng ký khai sinh",
        "applicantName": "Nguyễn Thị Hồng Nhung",
        "applicantId": "001190012345",
        "address": "Số 15 ngõ 102 phố Hoàng Cầu, Phường Ô Chợ Dừa, Quận Đống Đa, Thành phố Hà Nội",
        "phone": "0912 345 678",
        "email": "nhung.nguyen@example.vn",
        "officerName": "Trần Văn Đức",
    ]
}
