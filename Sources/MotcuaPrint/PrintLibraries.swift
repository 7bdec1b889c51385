internal import CPrintLibraries

/// Pango, Cairo and libcups could not be opened: the machine lacks Debian's libpango,
/// libcairo or libcups runtime packages (scripts/install-deps installs them).
public struct PrintLibrariesUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "the print libraries cannot be loaded: \(reason)" }
}

/// The print stack's libraries are opened on first use, not at start-up (see
/// CPrintLibraries.h). Every way into them calls `load()` first, so a machine without them
/// gets an error naming the library instead of a crash.
enum PrintLibraries {
    static func load() throws {
        var message = [CChar](repeating: 0, count: 512)
        guard motcua_print_libraries_load(&message, message.count) == 1 else {
            throw PrintLibrariesUnavailable(reason: message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
    }
}
