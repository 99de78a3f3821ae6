import Foundation
import Glibc
import LinuxHost
import SystemPackage
import TestSupport
import Testing

@Suite("OOM score adjustment")
struct MemoryOOMScoreTests {
    /// Only raises the score: lowering it below what a privileged writer set
    /// needs CAP_SYS_RESOURCE, which this sandbox's root does not have.
    @Test func aSpawnedProcessVolunteersForTheOOMKillerAndOutOfRangeIsRefused() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        let pid = sleeper.processIdentifier
        defer {
            kill(pid, SIGKILL)
            sleeper.waitUntilExit()
        }
        let proc = ProcFS()
        #expect(try proc.oomScoreAdjustment(pid: pid) == proc.oomScoreAdjustment())

        try proc.setOOMScoreAdjustment(500, pid: pid)
        #expect(try proc.oomScoreAdjustment(pid: pid) == 500)
        try proc.setOOMScoreAdjustment(1000, pid: pid)
        #expect(try proc.oomScoreAdjustment(pid: pid) == 1000)

        for value: Int32 in [1001, -1001, .max] {
            let error = try #require(throws: HostError.self) { try proc.setOOMScoreAdjustment(value, pid: pid) }
            #expect(error.errno == .invalidArgument)
        }
        #expect(try proc.oomScoreAdjustment(pid: pid) == 1000, "a refused value is never written")
    }

    @Test func aProcessThatIsGoneIsENOENT() throws {
        let gone = try #require(throws: HostError.self) { try ProcFS().oomScoreAdjustment(pid: Int32.max) }
        #expect(gone.errno == .noSuchFileOrDirectory)
    }

    @Test("recorded and hand-made scores", arguments: [
        (Fixture.hybridHost, Int32(27533), Int32(0)),
        (Fixture.v2Container, 4242, 1000),
    ])
    func fixtureScores(fixture: Fixture, pid: Int32, expected: Int32) throws {
        #expect(try fixture.proc.oomScoreAdjustment(pid: pid) == expected)
    }

    @Test func aScoreThatIsNotANumberIsUnparsable() throws {
        let error = try #require(throws: HostError.self) { try Fixture.odd.proc.oomScoreAdjustment(pid: 99) }
        guard case .unparsable(let file, let text, _) = error else {
            Issue.record("expected unparsable, got \(error)")
            return
        }
        #expect(file.hasSuffix("proc/99/oom_score_adj"))
        #expect(text == "lots")
    }

    @Test func writesGoToTheProcessFileUnderTheRoot() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path
        let file = root.appending("123").appending("oom_score_adj")
        mkdir(root.appending("123").string, 0o700)
        #expect(FileManager.default.createFile(atPath: file.string, contents: Data("0\n".utf8)))
        let proc = ProcFS(root: root)

        try proc.setOOMScoreAdjustment(-1000, pid: 123)
        #expect(try String(contentsOfFile: file.string, encoding: .utf8) == "-1000")
        #expect(throws: HostError.self) { try proc.setOOMScoreAdjustment(1001, pid: 123) }
        #expect(try proc.oomScoreAdjustment(pid: 123) == -1000)
    }
}
