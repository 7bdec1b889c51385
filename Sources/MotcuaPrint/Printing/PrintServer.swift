internal import CPrintLibraries

/// Where cupsd listens: a host and port, or a local socket path (port unused).
public struct PrintServer: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int = 631) {
        self.host = host
        self.port = port
    }

    /// "127.0.0.1:631", "printhost" (port 631) or "/run/cups/cups.sock"; nil when the
    /// port is not a number from 1 to 65535.
    public init?(_ address: String) {
        guard !address.isEmpty else { return nil }
        if address.hasPrefix("/") {
            self.init(host: address, port: 0)
            return
        }
        guard let colon = address.lastIndex(of: ":") else {
            self.init(host: address)
            return
        }
        guard let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        self.init(host: String(address[..<colon]), port: port)
    }

    /// The server libcups would use: `CUPS_SERVER`, then client.conf, then the system
    /// cupsd's local socket. Asks libcups, so it opens the print libraries.
    public static var local: PrintServer {
        get throws {
            try PrintLibraries.load()
            return PrintServer(host: String(cString: cupsServer()), port: Int(ippPort()))
        }
    }

    public var isLocalSocket: Bool { host.hasPrefix("/") }

    public var description: String { isLocalSocket ? host : "\(host):\(port)" }
}
