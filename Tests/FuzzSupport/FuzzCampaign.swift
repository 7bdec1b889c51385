import Foundation

/// How many inputs a fuzz test tries, and from which seed. The defaults keep the whole fuzz
/// suite to seconds in `swift test`; `make fuzz` raises the count. The seed is fixed unless
/// set, so a failure reproduces: every report names the seed and the iteration.
public struct FuzzSettings: Sendable, CustomStringConvertible {
    public static let iterationsVariable = "MOTCUA_FUZZ_ITERATIONS"
    public static let seedVariable = "MOTCUA_FUZZ_SEED"
    /// "Motcua" in ASCII.
    public static let defaultSeed: UInt64 = 0x4D6F_7463_7561

    public let iterations: Int
    public let seed: UInt64

    public init(iterations: Int, seed: UInt64 = defaultSeed) {
        self.iterations = iterations
        self.seed = seed
    }

    /// `defaultIterations` is the target's share of the default budget; the environment
    /// variables override it for every target at once. The seed is decimal or `0x` hex.
    public static func current(defaultIterations: Int) -> FuzzSettings {
        let environment = ProcessInfo.processInfo.environment
        let iterations = environment[iterationsVariable].flatMap { Int($0) }.map { max(1, $0) } ?? defaultIterations
        let seed = environment[seedVariable].flatMap { text -> UInt64? in
            text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        } ?? defaultSeed
        return FuzzSettings(iterations: iterations, seed: seed)
    }

    public var description: String {
        "\(Self.seedVariable)=0x\(String(seed, radix: 16)) \(Self.iterationsVariable)=\(iterations)"
    }
}

/// One generated input and how it was made.
public struct FuzzInput: Sendable {
    public enum Origin: String, Sendable, CaseIterable {
        case randomBytes = "random bytes"
        case alphabet = "alphabet strings"
        case mutated = "mutated seeds"
    }

    public let iteration: Int
    public let origin: Origin
    /// The seed a mutated input started from (its index in the campaign's seeds); nil for the others.
    public let seedIndex: Int?
    public let bytes: [UInt8]

    /// The bytes as a parser taking `String` sees them: invalid UTF-8 becomes U+FFFD, as it
    /// does wherever the app turns bytes into text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Printable and short enough for a test log: the input, escaped, cut after 600 bytes.
    public var escaped: String {
        let shown = bytes.prefix(600).map { byte -> String in
            switch byte {
            case 0x5C: "\\\\"
            case 0x0A: "\\n"
            case 0x20...0x7E: String(UnicodeScalar(byte))
            default: String(format: "\\x%02X", byte)
            }
        }.joined()
        return bytes.count > 600 ? "\(shown)… (\(bytes.count) bytes)" : shown
    }
}

/// What a fuzz test's check says of one input.
public enum FuzzVerdict: Sendable {
    /// Parsed, and the value met every property checked.
    case accepted
    /// Refused with the parser's own error, itself well formed; `kind` tallies the reasons.
    case refused(_ kind: String)
    /// A property does not hold: the test fails, naming the input.
    case violated(String)
}

/// What one fuzz run tried and found; `description` is the line a test prints.
public struct FuzzReport: Sendable, CustomStringConvertible {
    public let name: String
    public let settings: FuzzSettings
    public internal(set) var generated = 0
    public internal(set) var origins: [FuzzInput.Origin: Int] = [:]
    public internal(set) var accepted = 0
    public internal(set) var refusals: [String: Int] = [:]
    public internal(set) var violationCount = 0
    /// The first few violations, each with what reproduces it.
    public internal(set) var violations: [String] = []
    public internal(set) var seconds = 0.0

    public var refused: Int { refusals.values.reduce(0, +) }

    /// Why the run does not pass, besides the target's own minimums: a violation, fewer
    /// inputs than asked, or fewer accepted than `share` of them (a run where nothing is
    /// accepted proves nothing of what is). Empty when it passes.
    public func shortcomings(acceptingAtLeast share: Double) -> [String] {
        var shortcomings = violations
        if generated != settings.iterations { shortcomings.append("\(generated) of \(settings.iterations) inputs generated") }
        if Double(accepted) < share * Double(generated) { shortcomings.append("\(accepted) accepted, under \(share * 100)%") }
        return shortcomings
    }

    public var description: String {
        let origins = FuzzInput.Origin.allCases.map { "\(self.origins[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
        let reasons = refusals.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(6).map { "\($0.key) \($0.value)" }
        return "fuzz \(name): \(generated) inputs (\(origins)) in \(String(format: "%.2f", seconds)) s; "
            + "\(accepted) accepted, \(refused) refused (\(reasons.joined(separator: ", "))), \(violationCount) violations; \(settings)"
            + violations.map { "\n  \($0)" }.joined()
    }
}

/// Generates inputs for one parser and runs a check on each: random bytes, strings of the
/// parser's alphabet, and (most of them) valid seed inputs mutated a few times over, so the
/// inputs get past the first checks into every rule of the parser.
///
/// Every input is at most `maximumBytes` long. There is no timeout: a parser that hangs on
/// an input shows as the test never finishing, and the bounded size keeps any honest parse
/// short.
public struct FuzzCampaign: Sendable {
    public let name: String
    public let seeds: [[UInt8]]
    /// What `alphabet strings` are made of: characters or whole tokens of the format.
    public let alphabet: [[UInt8]]
    /// Tokens inserted by mutations: `FuzzTokens.hostile`, the words of the seeds and `extraTokens`.
    public let tokens: [[UInt8]]
    public let maximumBytes: Int

    public init(_ name: String, seeds: [String], alphabet: [String], extraTokens: [String] = [], maximumBytes: Int = 64 * 1024) {
        precondition(!seeds.isEmpty && !alphabet.isEmpty, "a campaign needs seeds and an alphabet")
        self.name = name
        self.seeds = seeds.map { Array($0.utf8) }
        self.alphabet = alphabet.map { Array($0.utf8) }
        self.tokens = FuzzTokens.hostile + FuzzTokens.words(of: seeds) + extraTokens.map { Array($0.utf8) }
        self.maximumBytes = maximumBytes
    }

    /// Input `iteration` of a run from `seed`: each input has its own generator, so one can be
    /// rebuilt without the ones before it.
    public func input(iteration: Int, seed: UInt64 = FuzzSettings.defaultSeed) -> FuzzInput {
        var random = SplitMix64(seed: seed ^ (UInt64(iteration) &* 0xD6E8_FEB8_6659_FD93))
        let roll = Int.random(in: 0..<20, using: &random)
        let origin: FuzzInput.Origin = roll < 2 ? .randomBytes : roll < 5 ? .alphabet : .mutated
        var bytes: [UInt8]
        var seedIndex: Int?
        switch origin {
        case .randomBytes:
            bytes = (0..<Self.length(upTo: 2_048, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case .alphabet:
            bytes = []
            for _ in 0..<Self.length(upTo: 600, using: &random) { bytes += alphabet.randomElement(using: &random)! }
        case .mutated:
            var mutator = Mutator(campaign: self, random: random)
            (seedIndex, bytes) = mutator.mutated()
        }
        return FuzzInput(iteration: iteration, origin: origin, seedIndex: seedIndex, bytes: Array(bytes.prefix(maximumBytes)))
    }

    /// Runs `check` on `settings.iterations` inputs and tallies the verdicts.
    public func run(_ settings: FuzzSettings, _ check: (FuzzInput) -> FuzzVerdict) -> FuzzReport {
        var report = FuzzReport(name: name, settings: settings)
        let start = ContinuousClock.now
        for iteration in 0..<settings.iterations {
            let input = input(iteration: iteration, seed: settings.seed)
            report.generated += 1
            report.origins[input.origin, default: 0] += 1
            switch check(input) {
            case .accepted:
                report.accepted += 1
            case .refused(let kind):
                report.refusals[kind, default: 0] += 1
            case .violated(let why):
                report.violationCount += 1
                if report.violations.count < 5 {
                    report.violations.append("iteration \(iteration) (\(input.origin.rawValue)): \(why); input: \(input.escaped)")
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(report)
        return report
    }

    /// Mostly short, sometimes long: real files are short, but length limits need long ones.
    static func length(upTo limit: Int, using random: inout SplitMix64) -> Int {
        Bool.random(using: &random) ? Int.random(in: 0...min(limit, 64), using: &random) : Int.random(in: 0...limit, using: &random)
    }
}

/// Lines as a YAML parser counts them, for checking the line an error names: \n, \r\n, a
/// lone \r, NEL, LS and PS each end one. A text ending in a line break has one more, empty line.
public func lineCount(of text: String) -> Int {
    var count = 1
    var previousWasReturn = false
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": if !previousWasReturn { count += 1 }
        case "\r", "\u{85}", "\u{2028}", "\u{2029}": count += 1
        default: break
        }
        previousWasReturn = scalar == "\r"
    }
    return count
}
