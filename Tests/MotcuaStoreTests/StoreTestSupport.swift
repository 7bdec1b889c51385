import Crypto
import Foundation
@testable import MotcuaStore

/// One fixed key, so a test can reopen a database it wrote.
let testSealer = PersonalDataSealer(current: SymmetricKey(data: Data(repeating: 7, count: 32)))

/// A store on a real SQLite file in a fresh temporary directory.
func temporaryStore() throws -> (store: Store, path: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-store-\(UUID().uuidString)")
    let path = directory.appendingPathComponent("motcua.sqlite").path
    return (try Store(path: path, sealer: testSealer), path)
}

let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
