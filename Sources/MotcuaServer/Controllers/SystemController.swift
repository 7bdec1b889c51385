import Foundation
import Hummingbird
import Prometheus

/// Health, metrics and the API contract: what operators and other programs probe.
struct SystemController {
    let registry: PrometheusCollectorRegistry
    let openAPISpec: ByteBuffer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse(["status": "ok"])
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPISpec))
        }
    }
}
