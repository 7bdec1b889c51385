import Foundation
import Synchronization
import Testing
@testable import MotcuaServer

@Suite struct AnnouncementTextTests {
    @Test func vietnameseSpellsThePrefixAndEachDigit() {
        let call = Announcement(ticketNumber: "A012", counterName: "Quầy 3")

        let text = call.text(language: .vi)

        #expect(text == "Mời số A không một hai đến Quầy 3")
    }

    @Test(arguments: [
        ("B007", "bê không không bảy"),
        ("c120", "xê một hai không"),
        ("K-45", "ca bốn năm"),
        ("N 98", "en-nờ chín tám"),
        ("DW6", "đê vê kép sáu"),
    ])
    func lettersHaveTheirVietnameseNames(ticket: String, spoken: String) {
        let call = Announcement(ticketNumber: ticket, counterName: "Quầy 1")

        let text = call.text(language: .vi)

        #expect(text == "Mời số \(spoken) đến Quầy 1")
    }

    @Test func namesAreNFCWhateverForm() throws {
        let decomposed = "Phòng khám Nội".decomposedStringWithCanonicalMapping
        try #require(decomposed.unicodeScalars.count > "Phòng khám Nội".precomposedStringWithCanonicalMapping.unicodeScalars.count)
        let call = Announcement(ticketNumber: " A012 ", counterName: decomposed)

        let text = call.text(language: .vi)

        // String == ignores normalisation, so compare the scalars.
        let expected = "Mời số A không một hai đến Phòng khám Nội".precomposedStringWithCanonicalMapping
        #expect(Array(text.unicodeScalars) == Array(expected.unicodeScalars))
    }

    @Test func englishSpellsDigitsInEnglish() {
        let call = Announcement(ticketNumber: "B012", counterName: "Quầy 3")

        let text = call.text(language: .en)

        #expect(text == "Ticket B zero one two, please go to Quầy 3")
    }
}

/// Each test gets its own directory (removed afterwards) and, unless it brings its own, the
/// real espeak-ng.
@Suite final class AnnouncerTests: Sendable {
    let root: URL
    let clips: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-announcer-\(UUID().uuidString)")
        clips = root.appendingPathComponent("announcements")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static let call = Announcement(ticketNumber: "A012", counterName: "Quầy 3")

    // MARK: Audio

    @Test func aClipIsAudibleSpeechOfAPlausibleLength() async throws {
        let announcer = Announcer(directory: clips)

        let clip = try await announcer.announce(Self.call)
        let file = try #require(announcer.wav(id: clip.id))

        let wave = try Wave(file)
        #expect(wave.format == 1)
        #expect(wave.channels == 1)
        #expect(wave.sampleRate == 22050)
        #expect(wave.bitsPerSample == 16)
        #expect((1.5...8).contains(wave.duration))
        #expect(abs(wave.duration - clip.duration) < 0.001)
        #expect(wave.samples.contains { $0 != 0 })
        #expect(wave.rms > 0.05)
        #expect(clip.text == "Mời số A không một hai đến Quầy 3")
    }

    @Test(.enabled(if: Self.soxInstalled)) func soxMeasuresTheSameClip() async throws {
        let announcer = Announcer(directory: clips)
        let clip = try await announcer.announce(Self.call)
        let path = clips.appendingPathComponent("\(clip.id).wav").path

        let stat = try Self.sox(path)

        #expect(abs(try #require(stat["Length (seconds)"]) - clip.duration) < 0.01)
        #expect(try #require(stat["RMS     amplitude"]) > 0.05)
    }

    @Test func theChimeComesBeforeTheSpeech() async throws {
        let plain = Announcer(directory: root.appendingPathComponent("plain"), chime: false)
        let chimed = Announcer(directory: clips, chime: true)

        let without = try await plain.announce(Self.call)
        let with = try await chimed.announce(Self.call)

        #expect(with.id != without.id)
        #expect(abs(with.duration - without.duration - 1.05) < 0.001)  // 0.35 + 0.55 s of tones, 0.15 s pause
        let opening = try Wave(#require(chimed.wav(id: with.id))).samples.prefix(22050 / 4)
        #expect(Wave.rms(opening) > 0.05)
    }

    // MARK: Cache

    @Test func theSameTextIsSpokenOnceAndKeptAcrossRestarts() async throws {
        let engine = try CountingEngine(in: root, then: "exec '\(Announcer.installedEspeak.path)' \"$@\"")
        let announcer = Announcer(directory: clips, espeak: engine.script)
        let first = try await announcer.announce(Self.call)
        let file = clips.appendingPathComponent("\(first.id).wav")
        let made = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date

        let again = try await announcer.announce(Self.call)
        let other = try await announcer.announce(Announcement(ticketNumber: "A013", counterName: "Quầy 3"))
        let afterRestart = try await Announcer(directory: clips, espeak: engine.script).announce(Self.call)

        #expect(again.id == first.id)
        #expect(afterRestart.id == first.id)
        #expect(other.id != first.id)
        #expect(try engine.runs() == 2)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == made)
    }

    @Test func concurrentCallsForOneTextShareOneRun() async throws {
        let engine = try CountingEngine(in: root, then: "sleep 0.3; exec '\(Announcer.installedEspeak.path)' \"$@\"")
        let announcer = Announcer(directory: clips, espeak: engine.script)

        let made = try await withThrowingTaskGroup(of: AnnouncementClip.self) { group in
            for _ in 0..<4 { group.addTask { try await announcer.announce(Self.call) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(try engine.runs() == 1)
        #expect(made.map(\.sequence).sorted() == [1, 2, 3, 4])
        #expect(Set(made.map(\.id)).count == 1)
    }

    @Test func theOldestClipsGoPastTheLimit() async throws {
        let announcer = Announcer(directory: clips, cacheLimit: 2)

        let oldest = try await announcer.announce(Announcement(ticketNumber: "A001", counterName: "Quầy 1"))
        let middle = try await announcer.announce(Announcement(ticketNumber: "A002", counterName: "Quầy 1"))
        let newest = try await announcer.announce(Announcement(ticketNumber: "A003", counterName: "Quầy 1"))

        #expect(try FileManager.default.contentsOfDirectory(atPath: clips.path).count == 2)
        #expect(announcer.wav(id: oldest.id) == nil)
        #expect(announcer.wav(id: middle.id) != nil)
        #expect(announcer.wav(id: newest.id) != nil)
    }

    // MARK: Queueing

    @Test func backToBackCallsPlayOneAfterTheOther() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ManualClock(start)
        let announcer = Announcer(directory: clips, now: { clock.now })

        let first = try await announcer.announce(Self.call)
        clock.advance(by: 1)
        let second = try await announcer.announce(Announcement(ticketNumber: "B001", counterName: "Phòng khám Nội"))
        clock.advance(by: first.duration + second.duration)
        let third = try await announcer.announce(Self.call)

        #expect(first.playAfter == nil)
        #expect(second.sequence == first.sequence + 1)
        #expect(abs(try #require(second.playAfter).timeIntervalSince(start) - first.duration) < 1e-6)
        #expect(third.sequence == second.sequence + 1)
        #expect(third.playAfter == nil)  // the hall has gone quiet by then
    }

    @Test func aSlowEarlierCallKeepsItsPlaceInLine() async throws {
        let engine = try CountingEngine(in: root, then: "sleep 0.6; exec '\(Announcer.installedEspeak.path)' \"$@\"")
        // The hall's clock stands still: the first clip is still playing however long the
        // slow one takes to speak on a busy machine.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let announcer = Announcer(directory: clips, espeak: engine.script, now: { clock.now })
        let recall = Announcement(ticketNumber: "B001", counterName: "Quầy 2")
        _ = try await announcer.announce(recall)

        let slow = Task { try await announcer.announce(Self.call) }
        // Wait until the slow one is being spoken, however busy the machine is.
        while try engine.runs() < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let quick = try await announcer.announce(recall)  // cached: ready long before the slow one
        let earlier = try await slow.value

        #expect(earlier.sequence == 2)
        #expect(quick.sequence == 3)
        let earlierStart = try #require(earlier.playAfter)  // the first clip is still playing
        #expect(abs(try #require(quick.playAfter).timeIntervalSince(earlierStart) - earlier.duration) < 1e-6)
    }

    // MARK: Failure

    @Test func aMissingEngineIsAClearError() async {
        let announcer = Announcer(directory: clips, espeak: URL(fileURLWithPath: "/nonexistent/espeak-ng"))

        let error = await #expect(throws: AnnouncementError.self) { try await announcer.announce(Self.call) }

        #expect(error == .engineMissing(path: "/nonexistent/espeak-ng"))
        #expect(error?.description.contains("espeak-ng is not installed at /nonexistent/espeak-ng") == true)
    }

    @Test func aFailingEngineReportsWhatItSaid() async throws {
        let engine = try CountingEngine(in: root, then: "echo 'Error: no voice' >&2; exit 3")
        let announcer = Announcer(directory: clips, espeak: engine.script)

        let error = await #expect(throws: AnnouncementError.self) { try await announcer.announce(Self.call) }

        #expect(error == .engineFailed("exit status 3: Error: no voice"))
    }

    // The engines below hang for 300 s and the bounds are 120 s: far apart, because under
    // the full suite CPU-bound fuzz tests hold both threads of Swift's pool for tens of
    // seconds, and the announcer's answer waits for a thread like any other.

    @Test func aHungEngineIsStoppedAtTheTimeout() async throws {
        let engine = try CountingEngine(in: root, then: "exec sleep 300")
        let announcer = Announcer(directory: clips, espeak: engine.script, timeout: 0.5)
        let start = ContinuousClock.now

        let error = await #expect(throws: AnnouncementError.self) { try await announcer.announce(Self.call) }

        #expect(error == .timedOut(seconds: 0.5))
        #expect(ContinuousClock.now - start < .seconds(120), "killed, not waited out")
    }

    /// Foundation reports a child's end when a socket the child holds closes; here a
    /// grandchild keeps it open, as a process spawned elsewhere at the same moment can. The
    /// announcer still answers at its timeout, not when the grandchild ends.
    @Test func aHungEngineIsStoppedAtTheTimeoutWhateverHoldsItsExitNotice() async throws {
        let grandchild = root.appendingPathComponent("grandchild-\(UUID().uuidString)")
        let engine = try CountingEngine(in: root, then: "sleep 300 >/dev/null 2>&1 &\necho $! > '\(grandchild.path)'\nexec sleep 300")
        let announcer = Announcer(directory: clips, espeak: engine.script, timeout: 0.5)
        let start = ContinuousClock.now

        let error = await #expect(throws: AnnouncementError.self) { try await announcer.announce(Self.call) }
        let elapsed = ContinuousClock.now - start
        if let pid = Int32((try? String(contentsOf: grandchild, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
            kill(pid, SIGKILL)
        }

        #expect(error == .timedOut(seconds: 0.5))
        #expect(elapsed < .seconds(120), "answered at the timeout, not when the grandchild let go")
    }

    @Test func wavRefusesIdsThatAreNotCacheKeys() async throws {
        let announcer = Announcer(directory: clips)
        let clip = try await announcer.announce(Self.call)
        try Data("secret".utf8).write(to: root.appendingPathComponent("secret.wav"))

        let refused = ["../secret", "..", "a/b", "", clip.id.uppercased(), String(clip.id.dropLast()), clip.id + "/..", String(repeating: "g", count: 64)]

        let served = announcer.wav(id: clip.id)
        let leaked = refused.filter { announcer.wav(id: $0) != nil }

        #expect(served != nil)
        #expect(leaked == [])
    }

    // MARK: Helpers

    static let soxInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/sox")

    /// `sox FILE -n stat`'s figures by label.
    static func sox(_ path: String) throws -> [String: Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        process.arguments = [path, "-n", "stat"]
        let output = Pipe()
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").reduce(into: [:]) { figures, line in
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) { figures[String(parts[0])] = value }
        }
    }
}

/// A canonical 44-byte-header WAV, read by fixed offsets independently of the code under test.
private struct Wave {
    let format: Int, channels: Int, sampleRate: Int, bitsPerSample: Int
    let byteRate: Int, dataSize: Int
    let samples: [Int16]

    struct NotAWave: Error {}

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        func integer(_ offset: Int, _ size: Int) -> Int { (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) } }
        guard bytes.count >= 44, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<16].elementsEqual("WAVEfmt ".utf8),
              bytes[36..<40].elementsEqual("data".utf8), integer(4, 4) == bytes.count - 8 else { throw NotAWave() }
        format = integer(20, 2)
        channels = integer(22, 2)
        sampleRate = integer(24, 4)
        byteRate = integer(28, 4)
        bitsPerSample = integer(34, 2)
        dataSize = integer(40, 4)
        guard dataSize == bytes.count - 44 else { throw NotAWave() }
        samples = stride(from: 44, to: bytes.count - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
    }

    var duration: TimeInterval { Double(dataSize) / Double(byteRate) }
    var rms: Double { Self.rms(samples[...]) }

    /// Root mean square, full scale = 1.
    static func rms(_ samples: ArraySlice<Int16>) -> Double {
        (samples.reduce(0) { $0 + pow(Double($1) / 32768, 2) } / Double(max(samples.count, 1))).squareRoot()
    }
}

/// A stand-in espeak-ng: a script that notes each run in a log, then does `body`.
private struct CountingEngine {
    let script: URL
    let log: URL

    init(in directory: URL, then body: String) throws {
        script = directory.appendingPathComponent("espeak-ng-\(UUID().uuidString)")
        log = directory.appendingPathComponent("runs-\(UUID().uuidString)")
        try "#!/bin/sh\necho run >> '\(log.path)'\n\(body)\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    }

    func runs() throws -> Int {
        guard FileManager.default.fileExists(atPath: log.path) else { return 0 }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count
    }
}
