import Foundation
import Hummingbird

extension Request {
    /// Reads a JSON body: 415 unless the content type is JSON, 413 past the size limit,
    /// 400 naming the field when the JSON is malformed or a field has the wrong shape.
    func decodeJSON<Body: Decodable>(_ type: Body.Type, context: AppRequestContext) async throws -> Body {
        try await decodeJSON(type, orIfEmpty: nil, context: context)
    }

    /// `decodeJSON` for a body the caller may leave out: an empty body is `empty`.
    func decodeJSON<Body: Decodable>(_ type: Body.Type, orIfEmpty empty: Body?, context: AppRequestContext) async throws -> Body {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0, let empty { return empty }
        guard let contentType = headers[.contentType], contentType.lowercased().hasPrefix("application/json") else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type", field: nil,
                vi: "Nội dung phải ở dạng JSON (Content-Type: application/json).",
                en: "The body must be JSON (Content-Type: application/json)."
            )
        }
        do {
            return try JSONDecoder().decode(Body.self, from: buffer)
        } catch let error as DecodingError {
            throw APIError(error)
        }
    }
}

extension APIError {
    init(_ error: DecodingError) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self = .badRequest(field: field, vi: "Thiếu trường \(field).", en: "Missing field \(field).")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            self = .badRequest(field: field, vi: "Trường \(field) không được để trống.", en: "Field \(field) must not be null.")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            self = .badRequest(
                field: field, vi: "Trường \(field) sai kiểu dữ liệu (cần \(type)).", en: "Field \(field) has the wrong type (expected \(type))."
            )
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = path(context.codingPath)
            self = .badRequest(field: field, vi: "Giá trị của trường \(field) không hợp lệ.", en: "Field \(field) has an invalid value.")
        default:
            self = .badRequest(field: nil, vi: "Nội dung JSON không đọc được (sai cú pháp).", en: "The body is not well-formed JSON.")
        }
    }
}

/// A JSON response with a chosen status. Bodies are encoded here rather than through the
/// framework so that dates keep the site's offset, which our view types carry as strings.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let value: Value

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
