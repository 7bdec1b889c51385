import Foundation
import MotcuaPrint
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that accepts connections and never answers: a hung print server.
public final class SilentServer: Sendable {
    public let address: PrintServer
    private let descriptor: Int32

    public init() throws {
        let (descriptor, port) = try Self.listen()
        self.descriptor = descriptor
        address = PrintServer(host: "127.0.0.1", port: port)
    }

    deinit { close(descriptor) }

    /// A port nothing listens on: bound, then closed.
    public static func closedPort() throws -> Int {
        let (descriptor, port) = try listen()
        close(descriptor)
        return port
    }

    private static func listen() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && Glibc.listen(descriptor, 128) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
