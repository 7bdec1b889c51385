import Foundation
import MotcuaCore
import MotcuaPrint
import MotcuaStore

/// The values of the dossier forms' layouts: the checklist slip a citizen takes from the
/// kiosk, and the one-stop forms the counter prints (receipt, supplement request,
/// refusal), worded as the forms are in Decree 61/2018 and Circular 01/2018.
struct DossierForms: Sendable {
    let siteName: String
    /// Written before the date ("Hà Nội, ngày …"); the site's name when not configured.
    let place: String
    let phone: String
    /// With `{code}` for the look-up code; empty when the QR carries the code alone.
    let statusURL: String
    let siteTime: SiteTime

    /// The layout a dossier's status calls for, and its values.
    func form(for record: DossierRecord) -> (kind: PrintedForm, values: () throws -> [String: LayoutValue]) {
        switch record.status {
        case .prepared: (.checklist, { try checklist(record) })
        case .received: (.receipt, { receipt(record) })
        case .supplementRequested: (.supplement, { supplement(record) })
        case .refused: (.refusal, { refusal(record) })
        }
    }

    /// The slip of a prepared dossier: what to bring, and the QR the officer scans.
    func checklist(_ record: DossierRecord) throws -> [String: LayoutValue] {
        let dossier = record.dossier
        return checklist(
            procedureName: dossier.procedureName, procedureCode: dossier.procedureCode, processingDays: dossier.processingDays,
            fees: dossier.fees, documents: dossier.documents, code: dossier.code
        )
    }

    /// The slip of a draft at its procedure's documents, with the draft code to resume by.
    func checklist(procedure: Procedure, documents: [Procedure.Document], code: String) -> [String: LayoutValue] {
        checklist(
            procedureName: procedure.name, procedureCode: procedure.code, processingDays: procedure.processingDays,
            fees: procedure.fees, documents: documents, code: code
        )
    }

    private func checklist(
        procedureName: String, procedureCode: String, processingDays: Int, fees: [Procedure.Fee], documents: [Procedure.Document], code: String
    ) -> [String: LayoutValue] {
        [
            "centreName": .text(siteName), "procedureName": .text(procedureName), "procedureCode": .text(procedureCode),
            "processingDays": .text(String(processingDays)), "fees": .text(Self.fees(fees)),
            "documents": Self.documents(documents), "dossierCode": .text(code), "pass": .text(code),
        ]
    }

    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    func receipt(_ record: DossierRecord) -> [String: LayoutValue] {
        let dossier = record.dossier
        let lookupCode = dossier.draftCode.compact
        return oneStop(record).merging([
            "dossierSets": "01",
            "processingDays": .text(Self.twoDigits(dossier.processingDays)),
            "receivedAt": .text(record.receivedAt.map(formalMoment) ?? ""),
            "returnAt": .text(record.expectedReturnDate.map(Self.formalDay) ?? ""),
            "returnMethod": .text(returnMethod(dossier.resultDelivery)),
            "fees": .text(Self.fees(dossier.fees)),
            "registerBook": .text(String(LocalDate(record.receivedAt ?? record.updatedAt, in: siteTime.timeZone).year)),
            "registerNumber": .text(record.registerNumber.map(String.init) ?? ""),
            "lookupCode": .text(dossier.draftCode.description),
            "statusUrl": .text(statusURL.isEmpty ? lookupCode : statusURL.replacingOccurrences(of: "{code}", with: lookupCode)),
            "documents": Self.documents(dossier.documents),
        ]) { $1 }
    }

    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    func supplement(_ record: DossierRecord) -> [String: LayoutValue] {
        oneStop(record).merging([
            "receivedAt": .text(formalMoment(record.updatedAt)),
            "reason": .text(record.decision?.reason ?? ""),
            "officerPhone": .text(phone),
            "documents": .list((record.decision?.documents ?? []).map { ["name": $0.name, "note": $0.note] }),
        ]) { $1 }
    }

    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    func refusal(_ record: DossierRecord) -> [String: LayoutValue] {
        oneStop(record).merging(["reason": .text(record.decision?.reason ?? "")]) { $1 }
    }

    /// What every one-stop form carries.
    private func oneStop(_ record: DossierRecord) -> [String: LayoutValue] {
        let dossier = record.dossier
        let citizen = dossier.applicant.citizen
        return [
            "agencyName": .text(dossier.agency.uppercased(with: Locale(identifier: "vi_VN"))),
            "receivingUnit": .text(siteName),
            "place": .text(place.isEmpty ? siteName : place),
            "date": .text(Self.formalDay(LocalDate(record.updatedAt, in: siteTime.timeZone))),
            "dossierCode": .text(dossier.code),
            "procedureName": .text(dossier.procedureName),
            "applicantName": .text(citizen.fullName),
            "applicantId": .text(citizen.idNumber),
            "address": .text(dossier.applicant.address ?? ""),
            "phone": .text(citizen.phone),
            "email": "",
            "officerName": .text(record.officer ?? ""),
        ]
    }

    private func returnMethod(_ delivery: Procedure.ResultDelivery) -> String {
        switch delivery {
        case .desk: "Tại \(siteName)"
        case .post: "Qua dịch vụ bưu chính công ích, theo địa chỉ đã đăng ký"
        case .online: "Trực tuyến, trên Cổng Dịch vụ công"
        }
    }

    /// "09 giờ 00 phút, ngày 01 tháng 03 năm 2027", as the receipt form writes a moment.
    private func formalMoment(_ date: Date) -> String {
        let time = siteTime.clockTime(date).split(separator: ":")
        return "\(time[0]) giờ \(time[1]) phút, \(Self.formalDay(LocalDate(date, in: siteTime.timeZone)))"
    }

    /// "ngày 01 tháng 03 năm 2027".
    static func formalDay(_ day: LocalDate) -> String {
        "ngày \(twoDigits(day.day)) tháng \(twoDigits(day.month)) năm \(day.year)"
    }

    private static func twoDigits(_ number: Int) -> String {
        number < 10 ? "0\(number)" : String(number)
    }

    /// "Miễn lệ phí" when nothing is charged, else each fee with its amount in đồng.
    static func fees(_ fees: [Procedure.Fee]) -> String {
        let charged = fees.filter { $0.amount > 0 }
        guard !charged.isEmpty else { return "Miễn lệ phí" }
        return charged.map { "\($0.name): \(groupedThousands($0.amount)) đồng" }.joined(separator: "; ")
    }

    /// 50000 → "50.000", as Vietnamese writes amounts.
    private static func groupedThousands(_ amount: Int) -> String {
        var digits = String(amount)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([digits] + groups).joined(separator: ".")
    }

    private static func documents(_ documents: [Procedure.Document]) -> LayoutValue {
        .list(documents.map { ["name": $0.name, "originals": String($0.originals), "copies": String($0.copies)] })
    }
}
