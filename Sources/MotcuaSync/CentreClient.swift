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

/// Talks to the centre over HTTP on the process-wide client's pooled connections.
public struct CentreClient: Sendable {
    public let link: CentreLink

    public init(link: CentreLink) {
        self.link = link
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

    private func post(_ path: String, body: Data) async throws(CentreError) -> Data {
        var request = HTTPClientRequest(url: link.url + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(link.token)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: HTTPResponseStatus
        let answer: ByteBuffer
        do {
            let timeout = TimeAmount.nanoseconds(Int64(link.timeout.components.seconds) * 1_000_000_000 + link.timeout.components.attoseconds / 1_000_000_000)
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            status = response.status
            answer = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw .unreachable(String(describing: error))
        }
        guard status == .ok else { throw .refused(status: Int(status.code), body: String(buffer: answer)) }
        return Data(answer.readableBytesView)
    }
}
