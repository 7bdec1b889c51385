import Foundation
@testable import MotcuaStore

/// A store on a real SQLite file in a fresh temporary directory.
func temporaryStore() throws -> (store: Store, path: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-store-\(UUID().uuidString)")
    let path = directory.appendingPathComponent("motcua.sqlite").path
    return (try Store(path: path), path)
}

let saigon = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
