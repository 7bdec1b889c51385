import Foundation
import HTTPTypes
import Hummingbird
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

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}
