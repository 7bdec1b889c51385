import Foundation
import GRDB
import Testing
@testable import MotcuaStore

@Suite struct StoredDateTests {
    @Test func writesExactlyWhatGRDBWrites() {
        var generator = SystemRandomNumberGenerator()
        let edges: [TimeInterval] = [0, -0.0005, -1, 1_803_866_400, 1_803_866_399.9999, 4_102_444_799.999, 946_684_800.5]
        let random = (0..<2_000).map { _ in TimeInterval(Double.random(in: -1e9...4e9, using: &generator)) }
        for seconds in edges + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(date.storedText == String.fromDatabaseValue(date.databaseValue), "\(seconds)")
        }
    }

    @Test func readsBackWhatGRDBReads() throws {
        var generator = SystemRandomNumberGenerator()
        let edges: [TimeInterval] = [0, -0.001, -86_400, 951_782_400, 1_803_866_399.999, 4_102_444_799.999]
        let random = (0..<2_000).map { _ in TimeInterval(Double.random(in: -1e9...4e9, using: &generator)) }
        for seconds in edges + random {
            let text = Date(timeIntervalSince1970: seconds).storedText
            let read = try #require(Date(storedText: text), "\(text)")
            #expect(read == Date.fromDatabaseValue(text.databaseValue), "\(text)")
            #expect(read.storedText == text)
        }
    }

    @Test func leavesAnyOtherTextToGRDB() throws {
        for text in ["2026-12-01 07:30:00", "2026-12-01T07:30:00.000", "2026-13-01 07:30:00.000", "2026-12-01 07:3x:00.000", "2026-12-01 24:00:00.000"] {
            #expect(Date(storedText: text) == nil, "\(text)")
        }
        // GRDB's shorter form still reads, through GRDB.
        let row = try DatabaseQueue().read { try Row.fetchOne($0, sql: "SELECT '2026-12-01 07:30:00'") }!
        #expect(try row.storedDate(atIndex: 0) == Date(timeIntervalSince1970: 1_796_110_200))
    }
}
