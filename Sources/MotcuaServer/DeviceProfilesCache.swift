import Foundation
import MotcuaPrint
import MotcuaSync
import Synchronization

/// The site's printers, kiosks and displays as they are now. Read from `devices/` at start,
/// or, when the centre manages the site's devices, from the files its configuration last
/// brought; a new configuration replaces them without a restart.
final class DeviceProfilesCache: Sendable {
    private let profiles: Mutex<DeviceProfiles>

    init(_ profiles: DeviceProfiles) {
        self.profiles = Mutex(profiles)
    }

    var current: DeviceProfiles {
        profiles.withLock { $0 }
    }

    func replace(_ new: DeviceProfiles) {
        profiles.withLock { $0 = new }
    }

    /// The centre's files for this site, checked together as the local ones are; an error
    /// names the file as `centre:<name>` with its line.
    static func parse(_ files: CentreConfig.DeviceFiles) throws -> DeviceProfiles {
        func named(_ text: String?, _ name: String) -> (text: String, path: String)? {
            text.map { ($0, "centre:\(name)") }
        }
        return try DeviceProfiles.parse(
            printers: named(files.printers, DeviceProfiles.printersFile), kiosks: named(files.kiosks, DeviceProfiles.kiosksFile),
            displays: named(files.displays, DeviceProfiles.displaysFile)
        )
    }
}

extension CentreConfig.DeviceFiles {
    /// As a site keeps them: by file name.
    var byName: [String: String] {
        [DeviceProfiles.printersFile: printers, DeviceProfiles.kiosksFile: kiosks, DeviceProfiles.displaysFile: displays].compactMapValues { $0 }
    }

    init(named files: [String: String]) {
        self.init(
            printers: files[DeviceProfiles.printersFile], kiosks: files[DeviceProfiles.kiosksFile], displays: files[DeviceProfiles.displaysFile]
        )
    }

    /// The files in a site's folder at the centre; nil when there is none of them.
    init?(folder: String) throws {
        func read(_ name: String) throws -> String? {
            let path = (folder as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path) ? try String(contentsOfFile: path, encoding: .utf8) : nil
        }
        let files = Self(printers: try read(DeviceProfiles.printersFile), kiosks: try read(DeviceProfiles.kiosksFile), displays: try read(DeviceProfiles.displaysFile))
        guard !files.byName.isEmpty else { return nil }
        self = files
    }
}
