import Foundation
import StressCore
import Testing

@Suite("Process attacks: selectors, deny list, picks")
struct ProcessSpecTests {
    func candidate(
        _ pid: Int32, _ command: String, line: String = "", start: UInt64 = 100, cgroup: String = "/", kernel: Bool = false
    ) -> ProcessCandidate {
        ProcessCandidate(
            identity: ProcessIdentity(pid: pid, startTime: start), command: command, commandLine: line,
            userID: 0, cgroup: cgroup, isKernelThread: kernel)
    }

    @Test func selectorsMatchWhatTheyPromise() throws {
        let worker = candidate(10, "python3", line: "python3 -m app.worker --queue fast", cgroup: "/system.slice/app.service")
        #expect(ProcessSelector.name("python3").matches(worker))
        #expect(!ProcessSelector.name("python").matches(worker), "names are exact, as pgrep -x")
        #expect(ProcessSelector.match(try CommandLinePattern("python.*worker")).matches(worker))
        #expect(!ProcessSelector.match(try CommandLinePattern("^worker")).matches(worker))
        #expect(ProcessSelector.pid(10).matches(worker))
        #expect(ProcessSelector.unit("app.service").matches(worker))
        #expect(!ProcessSelector.unit("app").matches(worker))
        #expect(ProcessSelector.cgroup("/system.slice").matches(worker))
        #expect(ProcessSelector.cgroup("/system.slice/app.service/").matches(worker))
        #expect(!ProcessSelector.cgroup("/system.sl").matches(worker))
        #expect(!ProcessSelector.match(try CommandLinePattern("python")).matches(candidate(2, "kthreadd", kernel: true)), "no command line, no match")
    }

    @Test("bad selectors", arguments: [
        ProcessSelector.name(""), .name("a-name-longer-than-15"), .pid(0), .unit("postgres"),
        .cgroup("system.slice"),
    ])
    func badSelectors(selector: ProcessSelector) {
        #expect(throws: InputError.self) { try selector.validate() }
    }

    @Test func theDenyListCannotBeBypassedByAccident() {
        let deny = DenyList(selfAndAncestors: [4242, 4000, 1])
        #expect(deny.refusal(for: candidate(1, "systemd"), allowProtected: true) != nil)
        #expect(deny.refusal(for: candidate(4000, "bash"), allowProtected: true) != nil)
        #expect(deny.refusal(for: candidate(2, "kthreadd", kernel: true), allowProtected: true) != nil)
        #expect(deny.refusal(for: candidate(77, "sshd"), allowProtected: false)?.contains("--allow-protected") == true)
        #expect(deny.refusal(for: candidate(77, "sshd"), allowProtected: true) == nil)
        #expect(deny.refusal(for: candidate(78, "systemd-journal"), allowProtected: false) != nil)
        #expect(deny.refusal(for: candidate(79, "nginx"), allowProtected: false) == nil)
    }

    @Test func picksAreOldestNewestAllOrSeededRandom() throws {
        let processes = [candidate(30, "a", start: 300), candidate(10, "a", start: 100), candidate(20, "a", start: 200)]
        var generator = SeededGenerator(seed: 7)
        #expect(ProcessSpec(selector: .name("a"), pick: .oldest).pickVictims(from: processes, using: &generator).map(\.pid) == [10])
        #expect(ProcessSpec(selector: .name("a"), pick: .newest).pickVictims(from: processes, using: &generator).map(\.pid) == [30])
        #expect(ProcessSpec(selector: .name("a"), pick: .all).pickVictims(from: processes, using: &generator).count == 3)
        let two = ProcessSpec(selector: .name("a"), pick: .random(count: 2))
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let once = two.pickVictims(from: processes, using: &first).map(\.pid)
        #expect(once.count == 2 && Set(once).count == 2)
        #expect(two.pickVictims(from: processes, using: &second).map(\.pid) == once, "the same seed picks the same victims")
        #expect(ProcessSpec(selector: .name("a"), pick: .random(count: 9)).pickVictims(from: processes, using: &generator).count == 3)
    }

    @Test("signals", arguments: [("TERM", Int32(15)), ("SIGKILL", 9), ("int", 2), ("HUP", 1), ("9", 9), ("34", 34)])
    func signals(text: String, number: Int32) throws {
        #expect(try ProcessSignal(parsing: text).number == number)
    }

    @Test("bad signals", arguments: ["STOP", "19", "CONT", "18", "0", "65", "BOGUS", "", "20", "21", "22", "TSTP", "SIGTTIN", "ttou"])
    func badSignals(text: String) {
        #expect(throws: InputError.self) { try ProcessSignal(parsing: text) }
    }

    /// Kill's signals end or notify a process: one that stops it would
    /// leave a victim stopped with nothing recorded to resume it.
    @Test("stop-type signals point at pause", arguments: ["20", "SIGTSTP", "TTIN", "22", "STOP", "CONT"])
    func stopTypeSignals(text: String) throws {
        let error = try #require(throws: InputError.self) { try ProcessSignal(parsing: text) }
        #expect("\(error)".contains("stressd pause"))
        let built = KillSpec(targets: ProcessSpec(selector: .name("a")), signal: ProcessSignal(number: 21))
        #expect(throws: InputError.self, "a spec built in code is checked too") {
            try AttackSpec(.kill(built), duration: .seconds(5)).validate(host: Self.host, policy: .default)
        }
    }

    static let host = HostLimits(cpu: CPUCapacity(onlineCPUs: 1), memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30))

    func spec(_ kind: AttackKind, _ flags: [String: String]) throws -> AttackSpec {
        try AttackSpec(kind: kind, parameters: FlatParameters(flags.merging(["duration": "30s"]) { a, _ in a }))
    }

    @Test func flatParametersBuildKillAndPauseSpecs() throws {
        let kill = try spec(.kill, ["name": "nginx", "signal": "TERM", "interval": "10s", "count": "2", "seed": "5"])
        #expect(kill.parameters == .kill(KillSpec(
            targets: ProcessSpec(selector: .name("nginx"), pick: .random(count: 2), seed: 5),
            signal: ProcessSignal(number: 15), interval: .seconds(10))))
        #expect(try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(kill)) == kill)
        let pause = try spec(.pause, ["unit": "redis.service", "all": "true"])
        #expect(pause.parameters == .pause(PauseSpec(targets: ProcessSpec(selector: .unit("redis.service"), pick: .all))))
        #expect(try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(pause)) == pause)
    }

    @Test("bad process parameters", arguments: [
        (AttackKind.kill, ["name": "a", "pid": "1"]), (.kill, [:]), (.kill, ["name": "a", "all": "true", "count": "2"]),
        (.kill, ["name": "a", "interval": "1m"]), (.kill, ["name": "a", "interval": "10ms"]), (.pause, ["name": "a", "signal": "TERM"]),
        (.kill, ["pid": "abc"]), (.kill, ["name": "a", "count": "0"]),
        // Issue 14: a pick flag that is not a boolean was ignored (one at random).
        (.pause, ["pid": "7", "newest": "AAA"]), (.kill, ["name": "a", "all": "-773"]), (.kill, ["name": "a", "oldest": "maybe"]),
    ])
    func badParameters(kind: AttackKind, flags: [String: String]) {
        let host = HostLimits(cpu: CPUCapacity(onlineCPUs: 1), memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30))
        #expect(throws: InputError.self) { try spec(kind, flags).validate(host: host, policy: .default) }
    }
}
