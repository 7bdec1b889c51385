import Crypto
import Foundation
import MotcuaCore

/// `GET /api/v1/sync/config`: what the centre decides for every site. Its `version` is a
/// digest of the content, sent as the ETag, so a site asks "anything new since?" and most
/// answers are an empty 304.
public struct CentreConfig: Codable, Sendable, Equatable {
    /// A key the centre signs booking passes with, so a site can check them offline.
    public struct PassKey: Codable, Sendable, Equatable {
        public let keyId: String
        /// The raw Ed25519 public key, base64.
        public let publicKey: String

        public init(keyId: String, publicKey: String) {
            self.keyId = keyId
            self.publicKey = publicKey
        }
    }

    /// A site's device files as the centre keeps them for it (`printers.yaml`, `kiosks.yaml`,
    /// `displays.yaml`, each absent when the centre has none for the site).
    public struct DeviceFiles: Codable, Sendable, Equatable {
        public let printers: String?
        public let kiosks: String?
        public let displays: String?

        public init(printers: String?, kiosks: String?, displays: String?) {
            self.printers = printers
            self.kiosks = kiosks
            self.displays = displays
        }
    }

    public let version: String
    public let passKeys: [PassKey]
    public let holidayNotices: [HolidayNotice]
    public let procedures: [Procedure]
    /// Nil when the centre keeps no device files for the site: it runs its own.
    public let devices: DeviceFiles?

    /// The content with its version computed.
    public init(passKeys: [PassKey], holidayNotices: [HolidayNotice], procedures: [Procedure], devices: DeviceFiles? = nil) throws {
        struct Content: Encodable {
            let passKeys: [PassKey]
            let holidayNotices: [HolidayNotice]
            let procedures: [Procedure]
            let devices: DeviceFiles?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let content = Content(passKeys: passKeys, holidayNotices: holidayNotices, procedures: procedures, devices: devices)
        version = SHA256.hash(data: try encoder.encode(content)).prefix(12).map { String(format: "%02x", $0) }.joined()
        self.passKeys = passKeys
        self.holidayNotices = holidayNotices
        self.procedures = procedures
        self.devices = devices
    }
}

/// `POST /api/v1/sync/config/ack`: the site has applied `version`.
public struct ConfigAck: Codable, Sendable, Equatable {
    public let version: String

    public init(version: String) {
        self.version = version
    }
}
