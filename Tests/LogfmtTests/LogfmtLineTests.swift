import Foundation
import Logfmt
import Logging
import Synchronization
import Testing

/// The logfmt line `stressd serve` writes on stderr outside the journal.
@Suite("logfmt lines")
struct LogfmtLineTests {
    /// 2026-03-01T12:34:56.789Z
    let time = Date(timeIntervalSince1970: 1_772_368_496.789)

    @Test func anAttackLineHasTimeLevelMessageThenItsFields() {
        let line = LogfmtLine.format(
            time: time, level: .info, message: "attack started",
            metadata: ["attack-kind": "cpu", "attack-id": "cpu-3f9a1c2e", "lease": "30s"])
        #expect(line == #"ts=2026-03-01T12:34:56.789Z level=info msg="attack started" attack_id=cpu-3f9a1c2e attack_kind=cpu lease=30s"#)
    }

    @Test("values are quoted only when they must be", arguments: [
        ("cpu", "cpu"),
        ("/var/tmp", "/var/tmp"),
        ("grüße", "grüße"),
        ("", #""""#),
        ("attack started", #""attack started""#),
        ("a=b", #""a=b""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"C:\tmp"#, #""C:\\tmp""#),
        ("two\nlines", #""two\nlines""#),
        ("tab\there", #""tab\there""#),
        ("cr\r", #""cr\r""#),
        ("bell\u{7}", #""bell\u0007""#),
        ("del\u{7F}", #""del\u007f""#),
        ("nbsp\u{A0}x", "\"nbsp\u{A0}x\""),
    ])
    func value(raw: String, written: String) {
        let line = LogfmtLine.format(time: time, level: .info, message: "m", metadata: ["v": "\(raw)"])
        #expect(line == #"ts=2026-03-01T12:34:56.789Z level=info msg=m v="# + written)
    }

    @Test func aLineNeverBreaksWhateverTheMessageHolds() {
        let line = LogfmtLine.format(
            time: time, level: .error, message: "cleanup failed:\nfill folder still there",
            metadata: ["leftovers": "fill folder /tmp/x y still exists\n"])
        #expect(!line.contains("\n"))
        #expect(line.hasSuffix(#"level=error msg="cleanup failed:\nfill folder still there" leftovers="fill folder /tmp/x y still exists\n""#))
    }

    @Test("keys keep letters, digits, _ and .", arguments: [
        ("attack-id", "attack_id"), ("error.type", "error.type"), ("a b=c\"", "a_b_c_"), ("", "_"),
    ])
    func key(raw: String, written: String) {
        let line = LogfmtLine.format(time: time, level: .info, message: "m", metadata: [raw: "1"])
        #expect(line.hasSuffix(" \(written)=1"))
    }

    @Test func theHandlerWritesOneLinePerEventWithItsOwnAndTheEventsMetadata() {
        let lines = Lines()
        var logger = Logger(label: "test") { _ in
            LogfmtLogHandler(logLevel: .info, now: { Date(timeIntervalSince1970: 1_772_368_496.789) }, write: lines.append)
        }
        logger[metadataKey: "attack-id"] = "disk-0badf00d"
        logger.debug("not shown at info")
        logger.warning("lease expired", metadata: ["attack-kind": "disk"])
        logger.info("attack ended", metadata: ["attack-id": "disk-00000001"])
        #expect(lines.all == [
            "ts=2026-03-01T12:34:56.789Z level=warning msg=\"lease expired\" attack_id=disk-0badf00d attack_kind=disk\n",
            "ts=2026-03-01T12:34:56.789Z level=info msg=\"attack ended\" attack_id=disk-00000001\n",
        ])
    }
}

/// What the handler wrote, in order.
final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
