import Hummingbird
import MotcuaStore
import NIOCore

/// Per-request state: who is calling and which language they read.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var language: Language = .vi
    /// Who connected: rate limits count anonymous callers by address.
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Larger bodies are refused with 413 before they are read into memory.
    public var maxUploadSize: Int { 1 << 20 }
}
