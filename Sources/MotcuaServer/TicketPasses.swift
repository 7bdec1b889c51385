import MotcuaCore

/// This site's ticket QR codes: what a ticket carries, and which ticket a scan stands for.
struct TicketPasses: Sendable {
    let key: TicketPassKey
    let siteId: String

    func text(for ticketId: Int64) throws -> String {
        try key.text(of: TicketPass(site: siteId, ticketId: ticketId))
    }

    /// The ticket a scanned QR stands for, if this site printed it; the refusal as the kiosk
    /// shows it otherwise.
    func ticketId(scanned text: String) -> Result<Int64, APIError> {
        switch key.verify(text) {
        case .success(let pass) where pass.site == siteId:
            .success(pass.ticketId)
        case .success:
            .failure(.qr("qr_other_site", vi: "Phiếu này không phải của điểm tiếp nhận này.", en: "This ticket is from another site."))
        case .failure(.forged):
            .failure(.qr("qr_forged", vi: "Mã QR không xác thực được.", en: "This QR code could not be verified."))
        case .failure(.malformed):
            .failure(.qr("qr_invalid", vi: "Đây không phải mã QR trên phiếu số thứ tự.", en: "This is not the QR code of a queue ticket."))
        }
    }
}
