import Foundation
import MotcuaCore
import MotcuaStore

/// What the National Public Service Portal's dossier sync takes, with the field names its
/// public implementations use (DOMAIN.md): a dossier once received at the counter
/// (`HoSo`), and a progress update when the counter asks for a supplement or refuses it
/// (`TienDo`). Times are `yyyyMMddHHmmss` at the site.
///
/// Status codes are those of the portal's published list as we read it: 2 received
/// (được tiếp nhận), 3 refused (không được tiếp nhận), 5 supplement requested (yêu cầu bổ
/// sung giấy tờ). `HinhThuc` 0 is a dossier submitted in person.
public enum PortalRecord: Equatable, Sendable {
    case dossier(Dossier)
    case progress(Progress)

    public struct Document: Codable, Equatable, Sendable {
        public let TenGiayTo: String
        public let SoBanChinh: Int
        public let SoBanSao: Int
    }

    public struct Fee: Codable, Equatable, Sendable {
        public let TenPhiLePhi: String
        public let MucPhi: Int
    }

    public struct Dossier: Codable, Equatable, Sendable {
        public let MaHoSo: String
        public let MaTTHC: String
        public let TenTTHC: String
        public let MaLinhVuc: String
        public let TenLinhVuc: String
        public let ChuHoSo: String
        public let LoaiDoiTuong: Int
        public let Email: String
        public let SoDienThoai: String
        public let TrichYeuHoSo: String
        public let NgayTiepNhan: String
        public let NgayHenTra: String
        public let TrangThaiHoSo: String
        public let NgayTra: String
        public let HinhThuc: String
        public let DonViXuLy: String
        public let TaiLieuNop: [Document]
        public let DanhSachLePhi: [Fee]
    }

    public struct Progress: Codable, Equatable, Sendable {
        public let MaHoSo: String
        public let NguoiXuLy: String
        public let ThoiDiemXuLy: String
        public let NoiDungXuLy: String
        public let TrangThai: String
    }

    /// The portal's record of the dossier's move to `status` (its event's); nil for one only
    /// prepared at the kiosk (the portal learns of a dossier when the counter receives it).
    /// A decision since overwritten (a supplement, then received) keeps its status but not
    /// its reason.
    public init?(_ record: DossierRecord, as status: DossierStatus, field: String, timeZone: TimeZone) {
        let dossier = record.dossier
        switch status {
        case .prepared:
            return nil
        case .received:
            let citizen = dossier.applicant.citizen
            self = .dossier(Dossier(
                MaHoSo: dossier.code, MaTTHC: dossier.procedureCode, TenTTHC: dossier.procedureName, MaLinhVuc: "",
                TenLinhVuc: field, ChuHoSo: citizen.fullName, LoaiDoiTuong: 1, Email: "", SoDienThoai: citizen.phone,
                TrichYeuHoSo: dossier.procedureName,
                NgayTiepNhan: record.receivedAt.map { Self.time($0, timeZone) } ?? "",
                // The return date is a day; the portal wants a moment: the end of office hours.
                NgayHenTra: record.expectedReturnDate.map { $0.iso.filter(\.isNumber) + "170000" } ?? "",
                TrangThaiHoSo: "2", NgayTra: "", HinhThuc: "0", DonViXuLy: dossier.agency,
                TaiLieuNop: dossier.documents.map { Document(TenGiayTo: $0.name, SoBanChinh: $0.originals, SoBanSao: $0.copies) },
                DanhSachLePhi: dossier.fees.map { Fee(TenPhiLePhi: $0.name, MucPhi: $0.amount) }
            ))
        case .supplementRequested, .refused:
            self = .progress(Progress(
                MaHoSo: dossier.code, NguoiXuLy: record.officer ?? "", ThoiDiemXuLy: Self.time(record.updatedAt, timeZone),
                NoiDungXuLy: record.status == status ? record.decision?.reason ?? "" : "", TrangThai: status == .refused ? "3" : "5"
            ))
        }
    }

    /// Where it goes under the configured endpoint.
    public var path: String {
        switch self {
        case .dossier: "/dossiers"
        case .progress: "/progress"
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        switch self {
        case .dossier(let dossier): return try encoder.encode(dossier)
        case .progress(let progress): return try encoder.encode(progress)
        }
    }

    static func time(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }
}
