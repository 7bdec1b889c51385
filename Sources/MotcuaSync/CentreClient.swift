import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where a site's centre is and how the site proves who it is.
public struct CentreLink: Sendable, Equatable {
    /// The centre's base URL, e.g. `http://centre.lan:8080`.
    public let url: String
    public let siteId: String
    /// A bearer token of role `site` named after `siteId`.
    public let token: String
    /// How long one request may take before it counts as failed.
    public let timeout: Duration

    public init(url: String, siteId: String, token: String, timeout: Duration = .seconds(10)) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.siteId = siteId
        self.token = token
        self.timeout = timeout
    }
}

/// Why a request to the centre did not go through.
public enum CentreError: Error, Equatable, CustomStringConvertible {
    /// No answer: the network, the centre down, a timeout. Worth trying again soon.
    case unreachable(String)
    /// The centre answered with an error (a wrong token, a refused batch). Tried again too,
    /// since events are never dropped, but someone has to look.
    case refused(status: Int, body: String)

    public var description: String {
        switch self {
        case .unreachable(let reason): "centre unreachable: \(reason)"
        case .refused(let status, let body): "centre refused with \(status): \(body.prefix(300))"
        }
    }
}

/// Talks to the centre over HTTP on pooled connections.
public struct CentreClient: Sendable {
    public let link: CentreLink
    private let http: HTTPClient

    /// `waitedOn`: someone at a kiosk waits for the answer, so a connection the centre
    /// refuses fails at once. Background sync keeps the default, which retries connecting
    /// until the timeout (a centre restarting is back within it).
    public init(link: CentreLink, waitedOn: Bool = false) {
        self.link = link
        http = waitedOn ? interactiveHTTPClient : .shared
    }

    /// Sends one batch; the receipt says what the centre holds now.
    public func send(_ batch: EventBatch) async throws(CentreError) -> BatchReceipt {
        let body: Data
        do {
            body = try JSONEncoder().encode(batch)
        } catch {
            throw .refused(status: 0, body: "batch not encodable: \(error)")
        }
        let answer = try await post("/api/v1/sync/events", body: body)
        guard let receipt = try? JSONDecoder().decode(BatchReceipt.self, from: answer) else {
            throw .refused(status: 200, body: String(decoding: answer, as: UTF8.self))
        }
        return receipt
    }

    /// The centre's configuration, or nil when it is still `knownVersion` (a 304).
    public func config(ifNewerThan knownVersion: String?) async throws(CentreError) -> CentreConfig? {
        var request = HTTPClientRequest(url: link.url + "/api/v1/sync/config")
        if let knownVersion { request.headers.add(name: "If-None-Match", value: "\"\(knownVersion)\"") }
        let (status, answer) = try await execute(request, maximumSize: 16 << 20)
        if status == .notModified { return nil }
        guard status == .ok else { throw .refused(status: Int(status.code), body: String(decoding: answer, as: UTF8.self)) }
        guard let config = try? JSONDecoder().decode(CentreConfig.self, from: answer) else {
            throw .refused(status: 200, body: "configuration not readable")
        }
        return config
    }

    /// Tells the centre the site applied `version`.
    public func acknowledge(_ version: String) async throws(CentreError) {
        _ = try await post("/api/v1/sync/config/ack", body: (try? JSONEncoder().encode(ConfigAck(version: version))) ?? Data())
    }

    /// One request on the centre's API made for someone at the site (the booking calendar
    /// lives at the centre): the answer as it came, whatever its status, for the caller to
    /// relay; `language` goes along so the centre's messages are in the citizen's language.
    public func relay(
        _ method: HTTPMethod, _ pathAndQuery: String, body: Data? = nil, language: String
    ) async throws(CentreError) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: link.url + pathAndQuery)
        request.method = method
        request.headers.add(name: "Accept-Language", value: language)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let (status, answer) = try await execute(request, maximumSize: 1 << 20)
        return (Int(status.code), answer)
    }

    private func post(_ path: String, body: Data) async throws(CentreError) -> Data {
        var request = HTTPClientRequest(url: link.url + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let (status, answer) = try await execute(request, maximumSize: 1 << 20)
        guard status == .ok else { throw .refused(status: Int(status.code), body: String(decoding: answer, as: UTF8.self)) }
        return answer
    }

    private func execute(_ request: HTTPClientRequest, maximumSize: Int) async throws(CentreError) -> (HTTPResponseStatus, Data) {
        var request = request
        request.headers.add(name: "Authorization", value: "Bearer \(link.token)")
        do {
            let timeout = TimeAmount.nanoseconds(Int64(link.timeout.components.seconds) * 1_000_000_000 + link.timeout.components.attoseconds / 1_000_000_000)
            let response = try await http.execute(request, timeout: timeout)
            let answer = try await response.body.collect(upTo: maximumSize)
            return (response.status, Data(answer.readableBytesView))
        } catch {
            throw .unreachable(String(describing: error))
        }
    }
}

/// The client for `waitedOn` requests; like `HTTPClient.shared`, it lives as long as the process.
private let interactiveHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(3)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
