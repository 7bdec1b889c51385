import Foundation
import Testing
@testable import MotcuaServer

@Suite struct ConfigurationTests {
    let profile = (text: """
        site:
          id: hoi-an
          name: "Bộ phận Một cửa thành phố Hội An"
          timeZone: Asia/Ho_Chi_Minh
        server:
          port: 9000
          host: 0.0.0.0
        database:
          path: /var/lib/motcua/hoi-an.sqlite
        """, path: "devices/site.yaml")

    @Test func flagsOverrideEnvironmentWhichOverridesTheProfile() throws {
        let config = try MotcuaConfiguration.load(
            profile: profile,
            environment: ["MOTCUA_SERVER_PORT": "9100", "MOTCUA_DATABASE_PATH": "/tmp/env.sqlite", "HOME": "/root"],
            flags: ["database.path": "/tmp/flag.sqlite"]
        )

        #expect(config.siteId == "hoi-an")
        #expect(config.siteName == "Bộ phận Một cửa thành phố Hội An")
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9100)
        #expect(config.databasePath == "/tmp/flag.sqlite")
    }

    @Test func badValueNamesKeyValueAndSource() {
        #expect(throws: ConfigurationError(
            key: "server.port", value: "tám nghìn", source: "environment variable MOTCUA_SERVER_PORT",
            expected: "a whole number from 0 to 65535"
        )) {
            try MotcuaConfiguration.load(profile: nil, environment: ["MOTCUA_SERVER_PORT": "tám nghìn"], flags: [:])
        }
        #expect(throws: ConfigurationError(
            key: "site.timeZone", value: "Asia/Hanoi_Typo", source: "devices/site.yaml",
            expected: "an IANA time zone such as Asia/Ho_Chi_Minh"
        )) {
            try MotcuaConfiguration.load(profile: (text: "site:\n  timeZone: Asia/Hanoi_Typo\n", path: "devices/site.yaml"), environment: [:], flags: [:])
        }
    }

    @Test func unknownSettingsAreErrorsNotSilence() throws {
        do {
            _ = try MotcuaConfiguration.load(profile: (text: "server:\n  prot: 80\n", path: "p.yaml"), environment: [:], flags: [:])
            Issue.record("a misspelt key was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description == "p.yaml: unknown setting 'server.prot'")
        }
        #expect(throws: ConfigurationError.self) {
            try MotcuaConfiguration.load(profile: nil, environment: ["MOTCUA_PORT": "80"], flags: [:])
        }
    }

    @Test func theShippedSiteProfileLoads() throws {
        let url = TestSite.repositoryRoot.appendingPathComponent("devices/site.yaml")
        let config = try MotcuaConfiguration.load(
            profile: (text: try String(contentsOf: url, encoding: .utf8), path: url.path), environment: [:], flags: [:]
        )
        #expect(config.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(config.port == 8080)
        #expect(config.sitePlace == "Hà Nội" && config.dossierIdleSeconds == 120)
    }

    @Test func aDossierCodePatternWithoutASequenceIsRefusedAtStart() {
        #expect(throws: ConfigurationError(
            key: "dossier.codePattern", value: "<agency>-<yymmdd>", source: "command line",
            expected: "a pattern of <agency>, <yymmdd>, <yyyymmdd>, <procedure>, <sequence:N> and text, with a <sequence>"
        )) {
            try MotcuaConfiguration.load(profile: nil, environment: [:], flags: ["dossier.codePattern": "<agency>-<yymmdd>"])
        }
        #expect(throws: ConfigurationError.self) {
            try MotcuaConfiguration.load(profile: nil, environment: ["MOTCUA_DOSSIER_STATUSURL": "ftp://x/{code}"], flags: [:])
        }
    }
}
