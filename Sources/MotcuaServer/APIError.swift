import Foundation
import HTTPTypes
import Hummingbird

/// A text in both languages Motcua speaks; Vietnamese first.
public struct LocalizedText: Sendable, Equatable, Encodable {
    public let vi: String
    public let en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    func text(for language: Language) -> String { language == .en ? en : vi }
}

public enum Language: String, Sendable {
    case vi
    case en

    /// The preferred of vi/en in an Accept-Language header; Vietnamese when unsure.
    init(acceptLanguage header: String?) {
        guard let header else { self = .vi; return }
        var best: (language: Language, quality: Double)?
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = fields.first else { continue }
            let quality = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary), quality > (best?.quality ?? 0) else { continue }
            best = (language, quality)
        }
        self = best?.language ?? .vi
    }
}

/// The one error shape clients see: `{"error": {"code", "message", "field"}}` with a 4xx.
public struct APIError: Error, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: LocalizedText
    public let field: String?
    public var headers: HTTPFields = [:]
    /// Every field's problem when a request has several (a booking form, say).
    public var details: [Detail] = []
    /// The bookings a refused capacity change would displace (409 `below_booked`).
    var displaced: [DisplacedBookingView]?

    public struct Detail: Sendable {
        public let field: String
        public let code: String
        public let message: LocalizedText
    }

    public init(_ status: HTTPResponse.Status, code: String, field: String? = nil, vi: String, en: String) {
        self.status = status
        self.code = code
        self.field = field
        self.message = LocalizedText(vi: vi, en: en)
    }

    struct Body: Codable {
        struct Problem: Codable {
            let field: String
            let code: String
            let message: String
        }
        struct Error: Codable {
            let code: String
            let message: String
            let field: String?
            let details: [Problem]?
            let displaced: [DisplacedBookingView]?
        }
        let error: Error
    }

    /// An error another node answered (a site relaying the centre), already in the
    /// language that was asked for.
    init(status: HTTPResponse.Status, relaying body: Body) {
        self.init(status, code: body.error.code, field: body.error.field, vi: body.error.message, en: body.error.message)
        details = (body.error.details ?? []).map {
            Detail(field: $0.field, code: $0.code, message: LocalizedText(vi: $0.message, en: $0.message))
        }
        displaced = body.error.displaced
    }

    func response(language: Language) -> Response {
        let problems = details.map { Body.Problem(field: $0.field, code: $0.code, message: $0.message.text(for: language)) }
        let body = Body(error: .init(
            code: code, message: message.text(for: language), field: field, details: problems.isEmpty ? nil : problems,
            displaced: displaced
        ))
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLanguage] = language.rawValue
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    static func invalid(_ field: String, vi: String, en: String) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", field: field, vi: vi, en: en)
    }

    static func badRequest(field: String?, vi: String, en: String) -> APIError {
        APIError(.badRequest, code: "bad_request", field: field, vi: vi, en: en)
    }

    static func notFound(_ what: LocalizedText) -> APIError {
        APIError(.notFound, code: "not_found", vi: "Không tìm thấy \(what.vi).", en: "No such \(what.en).")
    }

    static let unauthenticated = APIError(
        .unauthorized, code: "unauthenticated",
        vi: "Cần đăng nhập hoặc mã truy cập (Bearer token).", en: "Authentication required: log in or send a bearer token."
    )

    static func forbidden(allowed: [String]) -> APIError {
        let roles = allowed.joined(separator: ", ")
        return APIError(
            .forbidden, code: "forbidden",
            vi: "Vai trò của bạn không được phép thực hiện thao tác này (cần: \(roles)).",
            en: "Your role may not do this (needs: \(roles))."
        )
    }

    /// An HTTP error raised by the framework itself (unknown route, body too large …).
    init(_ error: HTTPError) {
        switch error.status {
        case .notFound:
            self.init(.notFound, code: "route_not_found", vi: "Không có đường dẫn này.", en: "There is no such route.")
        case .contentTooLarge:
            self.init(.contentTooLarge, code: "body_too_large", vi: "Nội dung gửi lên quá lớn (tối đa 1 MiB).", en: "Request body too large (1 MiB at most).")
        case .methodNotAllowed:
            self.init(.methodNotAllowed, code: "method_not_allowed", vi: "Phương thức không được hỗ trợ cho đường dẫn này.", en: "Method not allowed on this route.")
        default:
            let text = error.body ?? error.status.reasonPhrase
            self.init(error.status, code: "http_\(error.status.code)", vi: text, en: text)
        }
        headers = error.headers
    }
}
