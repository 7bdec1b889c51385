import Hummingbird
import Metrics

/// Counts requests and times them per route (the route pattern, never the raw path, so
/// booking codes and ids do not explode the label set).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        Counter(
            label: "motcua_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(response.status.code))],
            factory: factory
        ).increment()
        Metrics.Timer(label: "motcua_http_request_duration", dimensions: [("route", route), ("method", method)], factory: factory)
            .record(duration: ContinuousClock.now - started)
        context.logger.debug("request", metadata: ["method": "\(method)", "route": "\(route)", "status": "\(response.status.code)"])
        return response
    }
}
