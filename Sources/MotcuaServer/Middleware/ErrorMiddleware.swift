import Foundation
import HTTPTypes
import Hummingbird
import MotcuaStore
import NIOCore

/// Turns every failure into the JSON error shape, in the caller's language, and stamps each
/// response with its request id. Anything that is not an `APIError` or a framework
/// `HTTPError` is a bug: it is logged and answered with a 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let language = Language(acceptLanguage: request.headers[.acceptLanguage])
        context.language = language
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = error.response(language: language)
        } catch let error as HTTPError {
            response = APIError(error).response(language: language)
        } catch let failure as StorageFailure {
            context.logger.error("storage failed", metadata: ["failure": "\(failure)", "path": "\(request.uri.path)"])
            response = APIError.storage(failure).response(language: language)
        } catch is NIOTooManyBytesError {
            // Raised while streaming the body in, once it passes the context's upload limit.
            response = APIError(HTTPError(.contentTooLarge)).response(language: language)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            response = APIError(
                .internalServerError, code: "internal_error",
                vi: "Lỗi hệ thống. Xin vui lòng thử lại hoặc báo cán bộ hỗ trợ.",
                en: "Internal error. Please try again or ask staff for help."
            ).response(language: language)
        }
        response.headers[.requestId] = context.id
        return response
    }
}

extension APIError {
    /// The site's disk is full or unwritable: nothing was saved, the request may be repeated.
    static func storage(_ failure: StorageFailure) -> APIError {
        var error = switch failure {
        case .full:
            APIError(
                .serviceUnavailable, code: "storage_full",
                vi: "Bộ nhớ của máy chủ đã đầy; chưa lưu được gì. Xin báo cán bộ hỗ trợ và thử lại sau.",
                en: "The server's storage is full; nothing was saved. Please tell staff and try again later."
            )
        case .unavailable:
            APIError(
                .serviceUnavailable, code: "storage_unavailable",
                vi: "Máy chủ tạm thời không ghi được dữ liệu; chưa lưu được gì. Xin thử lại sau.",
                en: "The server cannot write its data right now; nothing was saved. Please try again later."
            )
        }
        error.headers[.retryAfter] = "30"
        return error
    }
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}
