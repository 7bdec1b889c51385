/// The searchable catalog. Search keys are folded once when the catalog is built, so a
/// query costs one fold plus a scan of precomputed keys.
public struct ProcedureCatalog: Sendable {
    private struct Entry: Sendable {
        let procedure: Procedure
        let codeKey: String
        let nameKey: String
        let fieldKey: String
    }

    private let entries: [Entry]

    public init(_ procedures: [Procedure]) {
        entries = procedures
            .sorted { $0.code < $1.code }
            .map {
                Entry(
                    procedure: $0,
                    codeKey: VietnameseText.searchKey($0.code),
                    nameKey: Self.nameKey($0.name),
                    fieldKey: VietnameseText.searchKey($0.field)
                )
            }
    }

    /// Official names often open with the generic "Thủ tục" ("procedure"); citizens do not
    /// type it, so it is left out of the key that exact and prefix matches compare with.
    private static func nameKey(_ name: String) -> String {
        let key = VietnameseText.searchKey(name)
        let generic = "thu tuc "
        return key.hasPrefix(generic) ? String(key.dropFirst(generic.count)) : key
    }

    public var all: [Procedure] { entries.map(\.procedure) }

    public func procedure(code: String) -> Procedure? {
        entries.first { $0.procedure.code == code }?.procedure
    }

    /// Procedures matching every word of `query`, best first: the exact code, then the
    /// exact name, then names starting with the query, then names containing every word,
    /// then matches found only through the field. An empty query lists the whole catalog.
    public func search(_ query: String, limit: Int = 50) -> [Procedure] {
        let key = Self.nameKey(query)
        guard !key.isEmpty else { return Array(all.prefix(limit)) }
        let words = key.split(separator: " ")
        let ranked = entries.compactMap { entry -> (rank: Int, entry: Entry)? in
            rank(entry, key: key, words: words).map { ($0, entry) }
        }
        return ranked
            .sorted { $0.rank != $1.rank ? $0.rank < $1.rank : $0.entry.procedure.code < $1.entry.procedure.code }
            .prefix(limit)
            .map(\.entry.procedure)
    }

    private func rank(_ entry: Entry, key: String, words: [Substring]) -> Int? {
        if entry.codeKey == key { return 0 }
        if entry.nameKey == key { return 1 }
        if entry.nameKey.hasPrefix(key) { return 2 }
        if words.allSatisfy({ entry.nameKey.contains($0) }) { return 3 }
        if entry.codeKey.hasPrefix(key) { return 4 }
        if words.allSatisfy({ entry.nameKey.contains($0) || entry.fieldKey.contains($0) }) { return 5 }
        return nil
    }
}
