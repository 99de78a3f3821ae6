import Foundation
import Glibc
import LinuxHost
import Testing

@Suite("Holding memory", .serialized)
struct MemoryHoldTests {
    static let mebibyte: UInt64 = 1 << 20

    func residentBytes() throws -> UInt64 {
        try ProcFS().processStat(getpid()).residentPages * SystemConstants.pageSize
    }

    @Test func growingMakesItResidentAndShrinkingGivesItBack() throws {
        let before = try residentBytes()
        let hold = MemoryHold()
        try hold.grow(to: 96 * Self.mebibyte)
        #expect(hold.heldBytes == 96 * Self.mebibyte)
        let grown = try residentBytes()
        #expect(grown >= before + 90 * Self.mebibyte, "MAP_POPULATE makes the pages resident")

        hold.shrink(to: 40 * Self.mebibyte)
        #expect(hold.heldBytes == 40 * Self.mebibyte)
        #expect(try residentBytes() + 50 * Self.mebibyte <= grown)

        try hold.grow(by: 8 * Self.mebibyte)
        #expect(hold.heldBytes == 48 * Self.mebibyte)
        hold.shrink(to: 0)
        #expect(hold.heldBytes == 0)
    }

    @Test(.enabled(if: getuid() == 0, "mlock beyond RLIMIT_MEMLOCK needs root"))
    func lockedMemoryIsCountedAsLocked() throws {
        let hold = MemoryHold()
        try hold.lock()
        try hold.grow(to: 16 * Self.mebibyte)
        let status = try ProcFS().read(ProcFS().current("status"))
        let locked = status.split(separator: "\n").first { $0.hasPrefix("VmLck:") }
        let kilobytes = locked.flatMap { UInt64($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        #expect(kilobytes * 1024 >= 16 * Self.mebibyte)
    }
}

@Suite("OOM scores and kills")
struct OOMTests {
    @Test func aSpawnedProcessCanVolunteerForTheOOMKiller() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["10"]
        try sleeper.run()
        defer {
            kill(sleeper.processIdentifier, SIGKILL)
            sleeper.waitUntilExit()
        }
        try ProcFS().setOOMScoreAdjustment(1000, pid: sleeper.processIdentifier)
        #expect(try ProcFS().oomScoreAdjustment(pid: sleeper.processIdentifier) == 1000)
        #expect(throws: HostError.self) { try ProcFS().setOOMScoreAdjustment(1001, pid: sleeper.processIdentifier) }
    }

    @Test("oom_kill counts", arguments: [
        ("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n", UInt64(1) as UInt64?),
        ("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", 3),
        ("oom_kill_disable 0\nunder_oom 0\n", nil),
        ("", nil),
    ])
    func oomKills(text: String, expected: UInt64?) throws {
        #expect(try MemoryEvents.oomKills(parsing: text, file: "memory.events") == expected)
    }

    @Test func malformedEventsAreErrors() {
        #expect(throws: HostError.self) { try MemoryEvents.oomKills(parsing: "oom_kill lots\n", file: "memory.events") }
        #expect(throws: HostError.self) { try MemoryEvents.oomKills(parsing: "oom_kill\n", file: "memory.events") }
    }
}
