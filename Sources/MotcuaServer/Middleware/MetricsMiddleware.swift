import Hummingbird
import Metrics
import NIOConcurrencyHelpers

/// Counts requests and times them per route (the route pattern, never the raw path, so
/// booking codes and ids do not explode the label set). The metric handles are kept per
/// route, method and status: looking them up through the factory on every request cost
/// more than the request itself on the busiest routes.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    private let factory: any MetricsFactory
    private let handles = NIOLockedValueBox<[String: (counter: Counter, timer: Metrics.Timer)]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let status = String(response.status.code)
        let metrics = handles.withLockedValue { handles in
            let key = "\(method) \(route) \(status)"
            if let found = handles[key] { return found }
            let made = (
                counter: Counter(label: "motcua_http_requests_total", dimensions: [("route", route), ("method", method), ("status", status)], factory: factory),
                timer: Metrics.Timer(label: "motcua_http_request_duration", dimensions: [("route", route), ("method", method)], factory: factory)
            )
            handles[key] = made
            return made
        }
        metrics.counter.increment()
        metrics.timer.record(duration: ContinuousClock.now - started)
        context.logger.debug("request", metadata: ["method": "\(method)", "route": "\(route)", "status": "\(status)"])
        return response
    }
}
