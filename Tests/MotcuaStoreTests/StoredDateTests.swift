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
}
