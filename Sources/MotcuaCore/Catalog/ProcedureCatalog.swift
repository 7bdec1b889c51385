/// The searchable catalog. Search keys are folded once when the catalog is built and kept as
/// UTF-8 bytes with a summary of the letter pairs they contain, so a query costs one fold,
/// a few bit tests per procedure, and byte scans of the few names that can match: well
/// under a millisecond for a province's 2,000 procedures (see motcua-catalog-bench).
public struct ProcedureCatalog: Sendable {
    /// How well a procedure matches, best first: the order results come in.
    private enum Rank: Int, CaseIterable, Comparable {
        case exactCode, exactName, namePrefix, nameWordStarts, nameContains, codePrefix, nameOrField

        static func < (lhs: Rank, rhs: Rank) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Sorted by code, so each rank lists its matches by code without sorting per query.
    private let procedures: [Procedure]
    /// The wizard looks its procedure up on every change.
    private let positions: [String: Int]
    /// Every key of every procedure in one buffer, located by the ranges below (one per
    /// procedure, same order): scanning them touches no reference counts.
    private let keyBytes: [UInt8]
    private let codeKeys: [Range<Int>]
    private let nameKeys: [Range<Int>]
    private let fieldKeys: [Range<Int>]
    /// The letter pairs of each name and field together.
    private let pairs: [LetterPairs]

    public init(_ procedures: [Procedure]) {
        self.procedures = procedures.sorted { $0.code < $1.code }
        // A repeated code (which the catalog check reports) finds the first of them.
        positions = Dictionary(self.procedures.enumerated().map { ($1.code, $0) }) { first, _ in first }
        var bytes: [UInt8] = []
        func append(_ key: [UInt8]) -> Range<Int> {
            bytes += key
            return bytes.count - key.count..<bytes.count
        }
        codeKeys = self.procedures.map { append(Array(VietnameseText.searchKey($0.code).utf8)) }
        nameKeys = self.procedures.map { append(Self.nameKey(folded: VietnameseText.searchKey($0.name))) }
        fieldKeys = self.procedures.map { append(Self.wordKey(folded: VietnameseText.searchKey($0.field))) }
        keyBytes = bytes
        pairs = zip(nameKeys, fieldKeys).map { LetterPairs(bytes[$0]).union(LetterPairs(bytes[$1])) }
    }

    public var all: [Procedure] { procedures }

    public func procedure(code: String) -> Procedure? {
        positions[code].map { procedures[$0] }
    }

    /// Procedures matching every word of `query`, best first: the exact code, then the
    /// exact name, then names starting with the query, then names where every word starts a
    /// word of the name, then names containing every word anywhere, then codes starting with
    /// the query, then matches found only through the field; by code within each. Case and
    /// marks do not matter (đ is d), nor does punctuation. An empty query lists the catalog.
    public func search(_ query: String, limit: Int = 50) -> [Procedure] {
        let limit = max(0, limit)
        let query = Query(query)
        guard !query.key.isEmpty else { return Array(procedures.prefix(limit)) }
        var byRank = Array(repeating: [Int](), count: Rank.allCases.count)
        keyBytes.withUnsafeBufferPointer { bytes in
            for index in procedures.indices {
                let keys = Keys(
                    code: UnsafeBufferPointer(rebasing: bytes[codeKeys[index]]),
                    name: UnsafeBufferPointer(rebasing: bytes[nameKeys[index]]),
                    field: UnsafeBufferPointer(rebasing: bytes[fieldKeys[index]]),
                    pairs: pairs[index]
                )
                guard let rank = query.rank(keys), byRank[rank.rawValue].count < limit else { continue }
                byRank[rank.rawValue].append(index)
            }
        }
        return byRank.joined().prefix(limit).map { procedures[$0] }
    }

    /// Official names often open with the generic "Thủ tục" ("procedure"); citizens do not
    /// type it, so it is left out of the key that exact and prefix matches compare with.
    private static func nameKey(folded name: String) -> [UInt8] {
        let key = wordKey(folded: name)
        let generic = Array("thu tuc ".utf8)
        return key.starts(with: generic) ? Array(key.dropFirst(generic.count)) : key
    }

    /// A search key (`VietnameseText.searchKey`) with punctuation read as spaces, so "nhan cha me con" finds "Nhận
    /// cha, mẹ, con", and words split where a reader sees them split.
    private static func wordKey(folded text: String) -> [UInt8] {
        var key: [UInt8] = []
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace {
                key.append(space)
                pendingSpace = false
            }
            key += String(scalar).utf8
        }
        return key
    }

    private static let space = UInt8(ascii: " ")

    /// One procedure's keys, viewed in the shared buffer.
    private struct Keys {
        let code: UnsafeBufferPointer<UInt8>
        let name: UnsafeBufferPointer<UInt8>
        let field: UnsafeBufferPointer<UInt8>
        let pairs: LetterPairs
    }

    /// A query folded once: its code key (dots kept), its name key and words.
    private struct Query {
        let code: [UInt8]
        let key: [UInt8]
        let words: [[UInt8]]
        /// What a name and field must contain for every word to occur in them.
        let pairs: LetterPairs

        init(_ text: String) {
            let folded = VietnameseText.searchKey(text)
            code = Array(folded.utf8)
            key = ProcedureCatalog.nameKey(folded: folded)
            words = key.split(separator: ProcedureCatalog.space).map(Array.init)
            pairs = words.reduce(LetterPairs()) { $0.union(LetterPairs($1[...])) }
        }

        func rank(_ entry: Keys) -> Rank? {
            if entry.code.elementsEqual(code) { return .exactCode }
            if entry.name.elementsEqual(key) { return .exactName }
            if entry.name.starts(with: key) { return .namePrefix }
            let byWords = entry.pairs.isSuperset(of: pairs) ? wordRank(entry) : nil
            if let byWords, byWords != .nameOrField { return byWords }
            if entry.code.starts(with: code) { return .codePrefix }
            return byWords
        }

        /// The best of the ranks that look at words one by one, each word scanned once.
        private func wordRank(_ entry: Keys) -> Rank? {
            var best = Rank.nameWordStarts
            for word in words {
                let inName = Self.find(word, in: entry.name)
                if inName.atWordStart { continue }
                if inName.anywhere {
                    best = max(best, .nameContains)
                } else if Self.find(word, in: entry.field).anywhere {
                    best = .nameOrField
                } else {
                    return nil
                }
            }
            return best
        }

        /// Whether `word` occurs in `text`, and whether at the start of one of its words. Plain
        /// byte search: keys are short, and UTF-8 is self-synchronising, so a byte match of a
        /// whole key is a match of its characters.
        private static func find(_ word: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> (anywhere: Bool, atWordStart: Bool) {
            guard let first = word.first, word.count <= text.count else { return (false, false) }
            var anywhere = false
            var start = 0
            while start <= text.count - word.count {
                if text[start] == first {
                    var offset = 1
                    while offset < word.count, text[start + offset] == word[offset] { offset += 1 }
                    if offset == word.count {
                        if start == 0 || text[start - 1] == ProcedureCatalog.space { return (true, true) }
                        anywhere = true
                    }
                }
                start += 1
            }
            return (anywhere, false)
        }
    }
}

/// Which pairs of adjacent bytes a key contains, hashed into 256 bits: a cheap test that
/// rules out most procedures before any byte scan. A word can occur in a key only if every
/// pair of the word is among the key's pairs; a one-byte word has no pair, so passes.
private struct LetterPairs: Sendable {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(_ bytes: ArraySlice<UInt8>) {
        var previous: UInt8?
        for byte in bytes {
            if let previous { insert(previous, byte) }
            previous = byte
        }
    }

    private mutating func insert(_ first: UInt8, _ second: UInt8) {
        let hash = (Int(first) &* 31 &+ Int(second)) & 255
        let bit = UInt64(1) << UInt64(hash & 63)
        switch hash >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }

    func union(_ other: LetterPairs) -> LetterPairs {
        var union = self
        union.bits = (bits.0 | other.bits.0, bits.1 | other.bits.1, bits.2 | other.bits.2, bits.3 | other.bits.3)
        return union
    }

    func isSuperset(of other: LetterPairs) -> Bool {
        bits.0 & other.bits.0 == other.bits.0 && bits.1 & other.bits.1 == other.bits.1
            && bits.2 & other.bits.2 == other.bits.2 && bits.3 & other.bits.3 == other.bits.3
    }
}
