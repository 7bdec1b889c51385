/// Changes a valid seed a few times over, the way inputs go wrong: damaged in transit (bits,
/// bytes, truncation), edited by hand (lines repeated, moved, re-indented, two files
/// pasted together), or written to attack the parser (`FuzzTokens`).
struct Mutator {
    let campaign: FuzzCampaign
    var random: SplitMix64

    init(campaign: FuzzCampaign, random: SplitMix64) {
        self.campaign = campaign
        self.random = random
    }

    /// One to eight mutations, fewer more often: one change finds the checks of each field,
    /// several the checks that relate fields.
    mutating func mutated() -> (seedIndex: Int, bytes: [UInt8]) {
        let seedIndex = Int.random(in: 0..<campaign.seeds.count, using: &random)
        var bytes = campaign.seeds[seedIndex]
        let count = 1 << Int.random(in: 0...3, using: &random)
        for _ in 0..<Int.random(in: 1...count, using: &random) {
            mutate(&bytes)
            if bytes.count > campaign.maximumBytes { bytes.removeLast(bytes.count - campaign.maximumBytes) }
        }
        return (seedIndex, bytes)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch Int.random(in: 0..<14, using: &random) {
        case 0:
            guard !bytes.isEmpty else { return }
            bytes[position(in: bytes)] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1:
            bytes.insert(UInt8.random(in: 0...255, using: &random), at: position(in: bytes, end: true))
        case 2:
            guard !bytes.isEmpty else { return }
            bytes[position(in: bytes)] = Self.interestingBytes.randomElement(using: &random)!
        case 3:
            guard !bytes.isEmpty else { return }
            bytes.removeSubrange(span(in: bytes, upTo: 16))
        case 4:
            bytes.removeLast(Int.random(in: 0...bytes.count, using: &random))
        case 5:
            guard !bytes.isEmpty else { return }
            let copied = bytes[span(in: bytes, upTo: 256)]
            bytes.insert(contentsOf: copied, at: position(in: bytes, end: true))
        case 6:
            // The start of this input, the rest of another: two files pasted together, or a
            // scan that read half of one code and half of another.
            let other = campaign.seeds.randomElement(using: &random)!
            bytes = Array(bytes.prefix(position(in: bytes, end: true))) + other[position(in: other, end: true)...]
        case 7, 8, 9:
            bytes.insert(contentsOf: campaign.tokens.randomElement(using: &random)!, at: position(in: bytes, end: true))
        case 10:
            guard !bytes.isEmpty else { return }
            bytes.replaceSubrange(span(in: bytes, upTo: 12), with: campaign.tokens.randomElement(using: &random)!)
        default:
            mutateLines(&bytes)
        }
    }

    /// Edits a person makes to a text file: a line repeated, dropped, moved, re-indented.
    private mutating func mutateLines(_ bytes: inout [UInt8]) {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let line = Int.random(in: 0..<lines.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: lines.insert(lines[line], at: Int.random(in: 0...lines.count, using: &random))
        case 1: lines.remove(at: line)
        case 2: lines.swapAt(line, Int.random(in: 0..<lines.count, using: &random))
        default:
            let indent = lines[line].prefix { $0 == 0x20 }.count
            let change = Int.random(in: -indent...4, using: &random)
            if change < 0 { lines[line].removeFirst(-change) } else { lines[line].insert(contentsOf: repeatElement(0x20, count: change), at: 0) }
        }
        bytes = Array(lines.joined(separator: [0x0A]))
    }

    private mutating func position(in bytes: [UInt8], end: Bool = false) -> Int {
        Int.random(in: 0..<(bytes.count + (end ? 1 : 0)), using: &random)
    }

    private mutating func span(in bytes: [UInt8], upTo length: Int) -> Range<Int> {
        let start = position(in: bytes)
        return start..<min(bytes.count, start + Int.random(in: 1...length, using: &random))
    }

    /// Bytes that separate, end or break things in the formats fuzzed here.
    private static let interestingBytes: [UInt8] = [
        0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x23, 0x26, 0x27, 0x2A, 0x2C, 0x2D, 0x2E, 0x30, 0x39, 0x3A, 0x5B, 0x5D,
        0x7B, 0x7C, 0x7D, 0x7F, 0x80, 0xBF, 0xC3, 0xFE, 0xFF,
    ]
}

/// What a hostile or careless input contains.
public enum FuzzTokens {
    public static let hostile: [[UInt8]] = {
        let texts: [String] = [
            // Separators and syntax of the formats.
            "\u{0}", "|", "||", ":", ": ", ".", "..", "- ", "? ", "#", ",", "=", "+", "/", "\\", "\"", "'", "`",
            "{", "}", "[", "]", "{}", "[]", "{{", "}}", "{{copy}}", "\t", "\r", "\r\n", "\n\n", "\n  ", "\n    - ",
            // YAML's own: anchors, aliases, merge keys, tags, directives, documents, block scalars.
            "&a ", "*a", "&a [1, 2]", "<<: *a", "&a {x: 1}\n", "!!binary ", "!!str ", "!!int ", "!!map ", "!!seq ",
            "!<tag:yaml.org,2002:float> ", "!custom ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "\n...\n",
            "|\n  x\n", ">-\n  x\n", "~", "null", "true", "no", "yes", "on", "off", "y", "0o17", "0b101",
            // Numbers at and past every limit.
            "0", "-0", "-1", "00", "007", "+5", "1.5", "1e400", "-1e400", ".nan", ".inf", "-.inf", "1_000", "0x7FFFFFFFFFFFFFFF",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "99999999999999999999999999999999999999", String(repeating: "9", count: 400), "4294967296", "1e-400",
            // Unicode that looks like nothing, reorders text or composes with its neighbour.
            "\u{FEFF}", "\u{200B}", "\u{200D}", "\u{202E}", "\u{200F}", "\u{2067}", "\u{061C}", "\u{85}", "\u{2028}",
            "\u{2029}", "\u{FFFD}", "\u{1B}[31m", "\u{7F}", "e\u{0301}\u{0323}", "a" + String(repeating: "\u{0301}", count: 300),
            "Nguye\u{0302}\u{0303}n", "Ã¡»", "😀", "👨‍👩‍👧", "𝟘", "１２", "İ", "ß",
            // Sizes: very deep nesting (past libyaml's limit of 1000 and below it), very long lines.
            String(repeating: "[", count: 1_100), String(repeating: "]", count: 1_100), String(repeating: "[", count: 900),
            String(repeating: "{a: ", count: 600), String(repeating: "- ", count: 500),
            (0..<300).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n"),
            String(repeating: "x", count: 30_000), String(repeating: "- x\n", count: 2_000), String(repeating: "*a, ", count: 2_000),
        ]
        let invalidUTF8: [[UInt8]] = [[0xFF], [0xFE, 0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0x80]]
        return texts.map { Array($0.utf8) } + invalidUTF8
    }()

    /// The words and numbers of the seeds, and their punctuation runs: the keys, values and
    /// separators a format uses, to recombine (the dictionary of a fuzzer).
    public static func words(of seeds: [String]) -> [[UInt8]] {
        var words = Set<String>()
        for seed in seeds {
            var word = ""
            var wordIsAlphanumeric = true
            for character in seed {
                let alphanumeric = character.isLetter || character.isNumber
                if !word.isEmpty, alphanumeric != wordIsAlphanumeric || character.isNewline {
                    words.insert(word)
                    word = ""
                }
                if character.isNewline { continue }
                word.append(character)
                wordIsAlphanumeric = alphanumeric
            }
            if !word.isEmpty { words.insert(word) }
        }
        return words.sorted().map { Array($0.utf8) }
    }
}
