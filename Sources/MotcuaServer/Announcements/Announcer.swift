import Crypto
import Foundation
import Synchronization

/// A called ticket ready for the hall displays: which audio to fetch, how long it lasts, and
/// when to start it so that it never overlaps the call before it.
struct AnnouncementClip: Sendable, Equatable {
    /// One more than the previous clip of this process; displays play clips in this order.
    let sequence: Int
    /// What is said, for a caption.
    let text: String
    /// The audio's cache key: `GET /api/v1/announcements/{id}.wav`, served by `Announcer.wav(id:)`.
    let id: String
    let duration: TimeInterval
    /// When the previous clip ends, if it is still playing when this one is made; nil: play now.
    let playAfter: Date?
}

/// Why a call has no sound. The display then shows the call silently.
enum AnnouncementError: Error, Equatable, CustomStringConvertible {
    case engineMissing(path: String)
    case engineFailed(String)
    case timedOut(seconds: TimeInterval)

    var description: String {
        switch self {
        case .engineMissing(let path):
            "espeak-ng is not installed at \(path) (scripts/install-deps installs it); calls are shown without sound"
        case .engineFailed(let detail):
            "espeak-ng failed: \(detail)"
        case .timedOut(let seconds):
            "espeak-ng did not finish within \(String(format: "%g", seconds)) s and was stopped"
        }
    }
}

/// Turns calls into WAV files with espeak-ng, keeps them on disk by a hash of what was spoken
/// and how, and lines the calls up one after another for the hall.
actor Announcer {
    private let directory: URL
    private let language: Language
    private let engine: Espeak
    private let chime: Bool
    private let cacheLimit: Int
    private let now: @Sendable () -> Date

    private var generating: [String: Task<TimeInterval, any Error>] = [:]
    private var nextSequence = 1
    private var previousEnd: Date?
    /// The latest call in call order; each call waits for it before taking its place in line.
    private var lastInLine: Task<Void, Never>?

    /// - Parameters:
    ///   - directory: where the WAV files are kept, e.g. `<data dir>/announcements/`; created when needed.
    ///   - speed: espeak-ng's words per minute; a little under its default 175 for a hall.
    ///   - chime: starts every clip with a two-tone chime, so the hall looks up before the number.
    ///   - cacheLimit: the most files kept; the oldest go first (a call matters for minutes).
    ///   - now: the clock that places clips in time.
    init(
        directory: URL,
        language: Language = .vi,
        speed: Int = 140,
        chime: Bool = true,
        espeak: URL = Announcer.installedEspeak,
        timeout: TimeInterval = 10,
        cacheLimit: Int = 500,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.directory = directory
        self.language = language
        // espeak-ng names its voices by language tag, which is Language's raw value.
        self.engine = Espeak(executable: espeak, voice: language.rawValue, speed: speed, timeout: timeout)
        self.chime = chime
        self.cacheLimit = cacheLimit
        self.now = now
    }

    /// espeak-ng as found on PATH, else where Debian's package puts it.
    static var installedEspeak: URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("espeak-ng") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? URL(fileURLWithPath: "/usr/bin/espeak-ng")
    }

    /// Makes (or finds) the audio for a call and gives it the next place in the hall's line.
    /// Clips are placed in the order the calls arrive, even when an earlier call's audio takes
    /// longer to make than a later one's.
    func announce(_ announcement: Announcement) async throws -> AnnouncementClip {
        let text = announcement.text(language: language)
        let audio = Task { try await self.audio(for: text) }  // made now, alongside earlier calls
        let ahead = lastInLine
        let clip = Task {
            await ahead?.value
            return try await self.place(text: text, audio: audio.value)
        }
        lastInLine = Task { _ = await clip.result }
        return try await clip.value
    }

    /// The WAV file for a clip id, or nil for an unknown or malformed id. Only ids of this
    /// cache's shape (lowercase SHA-256 hex) are looked up, so no id can reach outside the directory.
    nonisolated func wav(id: String) -> Data? {
        guard id.utf8.count == 64, id.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return try? Data(contentsOf: file(id))
    }

    private func place(text: String, audio: (id: String, duration: TimeInterval)) -> AnnouncementClip {
        let current = now()
        let playAfter = previousEnd.flatMap { $0 > current ? $0 : nil }
        previousEnd = (playAfter ?? current).addingTimeInterval(audio.duration)
        let sequence = nextSequence
        nextSequence += 1
        return AnnouncementClip(sequence: sequence, text: text, id: audio.id, duration: audio.duration, playAfter: playAfter)
    }

    /// The cached audio's id and duration, making it first if needed; concurrent requests for
    /// one text share a single espeak-ng run.
    private func audio(for text: String) async throws -> (id: String, duration: TimeInterval) {
        let id = key(for: text)
        if let running = generating[id] { return (id, try await running.value) }
        if let cached = try? Data(contentsOf: file(id)), let wave = PCMWave(cached) { return (id, wave.duration) }
        let making = Task { try await self.make(text, as: id) }
        generating[id] = making
        defer { generating[id] = nil }
        return (id, try await making.value)
    }

    private func make(_ text: String, as id: String) async throws -> TimeInterval {
        var wave = try await engine.speak(text)
        if chime { wave = PCMWave.chime(like: wave).followed(by: wave) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try wave.encoded.write(to: file(id), options: .atomic)  // a reader never sees half a file
        prune()
        return wave.duration
    }

    /// Keeps at most `cacheLimit` clips, removing the oldest.
    private func prune() {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        let clips = files.filter { $0.pathExtension == "wav" }
        guard clips.count > cacheLimit else { return }
        let modified = { (url: URL) in (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast }
        for old in clips.sorted(by: { modified($0) < modified($1) }).prefix(clips.count - cacheLimit) {
            try? FileManager.default.removeItem(at: old)
        }
    }

    /// SHA-256 of everything that changes the sound; the version tag renews the cache when the
    /// way clips are made changes.
    private func key(for text: String) -> String {
        let recipe = ["motcua-announcement-1", engine.voice, String(engine.speed), chime ? "chime" : "plain", text].joined(separator: "\n")
        return SHA256.hash(data: Data(recipe.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private nonisolated func file(_ id: String) -> URL {
        directory.appendingPathComponent("\(id).wav")
    }
}

/// espeak-ng run directly, never through a shell: the text is one argument after "--", so
/// nothing in it is interpreted as an option or a command.
private struct Espeak: Sendable {
    let executable: URL
    let voice: String
    let speed: Int
    let timeout: TimeInterval

    func speak(_ text: String) async throws -> PCMWave {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw AnnouncementError.engineMissing(path: executable.path)
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-espeak-\(UUID().uuidString)")
        let output = base.appendingPathExtension("wav")
        // Messages go to a file, not a pipe: reading a pipe could wait on a child that kept it open.
        let log = base.appendingPathExtension("log")
        defer { for file in [output, log] { try? FileManager.default.removeItem(at: file) } }
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let errors = FileHandle(forWritingAtPath: log.path) else {
            throw AnnouncementError.engineFailed("cannot write to \(log.deletingLastPathComponent().path)")
        }
        defer { try? errors.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-v", voice, "-s", String(speed), "-w", output.path, "--", text]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors

        try await run(process)
        let message = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw AnnouncementError.engineFailed("exit status \(process.terminationStatus)\(message.isEmpty ? "" : ": \(message)")")
        }
        // espeak-ng exits 0 even when it says nothing (an empty text makes a header only).
        guard let data = try? Data(contentsOf: output), let wave = PCMWave(data), wave.duration >= 0.1 else {
            throw AnnouncementError.engineFailed("no 16-bit PCM speech in its output\(message.isEmpty ? "" : ": \(message)")")
        }
        return wave
    }

    /// Runs the process to its end, killing it past the timeout. SIGKILL rather than SIGTERM:
    /// a child started from a thread that blocks SIGTERM inherits the block, and there is
    /// nothing for espeak-ng to clean up. The timeout counts from the launch and fires on a
    /// serial dispatch queue of its own, not on Swift's cooperative pool.
    ///
    /// The caller is answered when the watchdog kills, not when Foundation reports the exit:
    /// Foundation learns of a child's end when a socket the child holds closes, and a child
    /// spawned at the same moment elsewhere in the process can inherit that socket and hold
    /// it open. Under the full test suite a killed engine was reported ended 30 s late.
    private static let watchdogs = DispatchQueue(label: "motcua.announcer.watchdog")

    /// Whether the watchdog killed the engine.
    private final class Watch: Sendable {
        let fired = Atomic<Bool>(false)
    }

    private func run(_ process: Process) async throws {
        let (exited, exit) = AsyncStream<Never>.makeStream()
        process.terminationHandler = { _ in exit.finish() }
        do {
            try process.run()
        } catch {
            throw AnnouncementError.engineFailed("could not start: \(error.localizedDescription)")
        }
        let watch = Watch()
        let watchdog = DispatchWorkItem {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            watch.fired.store(true, ordering: .releasing)
            exit.finish()
        }
        Self.watchdogs.asyncAfter(deadline: .now() + timeout, execute: watchdog)
        for await _ in exited {}
        watchdog.cancel()
        if watch.fired.load(ordering: .acquiring) {
            throw AnnouncementError.timedOut(seconds: timeout)
        }
    }
}

/// Mono or multi-channel 16-bit PCM audio in a WAV file: what espeak-ng writes, parsed just
/// enough to measure it and to put a chime before it.
struct PCMWave: Sendable {
    let sampleRate: Int
    let channels: Int
    /// Little-endian 16-bit samples, channels interleaved: the WAV "data" chunk.
    let samples: Data

    init(sampleRate: Int, channels: Int, samples: Data) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// Reads a RIFF/WAVE file's "fmt " and "data" chunks; nil unless it is 16-bit PCM.
    init?(_ file: Data) {
        let bytes = [UInt8](file)
        func integer(_ offset: Int, _ size: Int) -> Int {
            (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { return nil }
        var format: (pcm: Bool, channels: Int, rate: Int, bits: Int)?
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = integer(offset + 4, 4)
            let body = offset + 8
            // A streamed file may leave the size unpatched: take what is there.
            let end = min(body + size, bytes.count)
            switch String(decoding: bytes[offset..<offset + 4], as: UTF8.self) {
            case "fmt " where end - body >= 16:
                format = (integer(body, 2) == 1, integer(body + 2, 2), integer(body + 4, 4), integer(body + 14, 2))
            case "data":
                guard let format, format.pcm, format.bits == 16, format.channels > 0, format.rate > 0 else { return nil }
                let frameBytes = 2 * format.channels
                self.init(sampleRate: format.rate, channels: format.channels, samples: Data(bytes[body..<(body + (end - body) / frameBytes * frameBytes)]))
                return
            default:
                break
            }
            offset = body + size + size % 2  // chunks are padded to an even length
        }
        return nil
    }

    var byteRate: Int { sampleRate * channels * 2 }
    var duration: TimeInterval { Double(samples.count) / Double(byteRate) }

    /// The canonical 44-byte-header WAV file.
    var encoded: Data {
        var file = Data()
        func append(_ value: Int, _ size: Int) { file.append(contentsOf: (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
        file.append(contentsOf: "RIFF".utf8); append(36 + samples.count, 4)
        file.append(contentsOf: "WAVEfmt ".utf8); append(16, 4)
        append(1, 2); append(channels, 2); append(sampleRate, 4); append(byteRate, 4); append(2 * channels, 2); append(16, 2)
        file.append(contentsOf: "data".utf8); append(samples.count, 4)
        return file + samples
    }

    func followed(by other: PCMWave) -> PCMWave {
        PCMWave(sampleRate: sampleRate, channels: channels, samples: samples + other.samples)
    }

    /// A "ding-dong" (E6 then C6, each struck and fading) and a short pause, in `wave`'s format
    /// so the two can be joined. Kept well below full scale: espeak-ng's speech peaks near it.
    static func chime(like wave: PCMWave) -> PCMWave {
        let notes: [(frequency: Double, seconds: Double)] = [(1318.5, 0.35), (1046.5, 0.55)]
        let rate = Double(wave.sampleRate)
        var samples: [Int16] = []
        for note in notes {
            for index in 0..<Int(note.seconds * rate) {
                let time = Double(index) / rate
                // A 5 ms strike, a decay, and a 20 ms release so the note ends without a click.
                let envelope = min(1, time / 0.005, (note.seconds - time) / 0.02) * exp(-time * 6)
                let value = Int16(0.35 * 32767 * envelope * sin(2 * .pi * note.frequency * time))
                samples.append(contentsOf: repeatElement(value, count: wave.channels))
            }
        }
        // espeak-ng starts with its own short silence; together about half a second.
        samples.append(contentsOf: repeatElement(0, count: Int(0.15 * rate) * wave.channels))
        let bytes = samples.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        return PCMWave(sampleRate: wave.sampleRate, channels: wave.channels, samples: Data(bytes))
    }
}
