import LinuxHost
import StressAgent
import StressCore
import TestSupport
import Testing

/// `--unit` and friends on a recorded-style /proc of a systemd host (real
/// systemd is not PID 1 on the machines that run these tests).
@Suite struct ProcessTargetingTests {
    let procFS = Fixture.systemdUnits.proc

    func survey(_ selector: ProcessSelector, pick: ProcessSpec.Pick = .all) throws -> ProcessTargeting.Survey {
        try ProcessTargeting(spec: ProcessSpec(selector: selector, pick: pick), procFS: procFS).survey()
    }

    @Test func aUnitMeansTheProcessesInItsCgroup() throws {
        #expect(try survey(.unit("postgresql.service")).eligible.map(\.pid).sorted() == [100, 200])
        #expect(try survey(.unit("nginx.service")).eligible.map(\.pid) == [300])
        #expect(try survey(.unit("redis.service")).isEmpty)
    }

    @Test func candidatesCarryTheirCommandLineAndCgroup() throws {
        let master = try #require(survey(.pid(100)).eligible.first)
        #expect(master.commandLine == "postgres -D /var/lib/postgresql/15/main")
        #expect(master.cgroup == "/system.slice/postgresql.service")
        #expect(master.startTime == 4000)
        #expect(try survey(.match(CommandLinePattern("checkpointer"))).eligible.map(\.pid) == [200])
        #expect(try survey(.cgroup("/system.slice")).eligible.count == 3)
    }

    @Test func kernelThreadsAreSparedWithAReason() throws {
        let found = try survey(.name("kthreadd"))
        #expect(found.eligible.isEmpty)
        #expect(found.spared.first?.1.contains("kernel threads") == true)
        let error = try #require(throws: AgentError.self) {
            try ProcessTargeting(spec: ProcessSpec(selector: .name("kthreadd")), procFS: procFS).preflight()
        }
        guard case .input = error else { Issue.record("only protected matches are bad input (exit 2): \(error)"); return }
    }

    @Test func nothingMatchingIsAFailureUnlessAllowed() throws {
        #expect(throws: AgentError.self) {
            try ProcessTargeting(spec: ProcessSpec(selector: .name("redis-server")), procFS: procFS).preflight()
        }
        let allowed = ProcessTargeting(spec: ProcessSpec(selector: .name("redis-server"), allowNone: true), procFS: procFS)
        #expect(try allowed.preflight().isEmpty)
    }

    @Test func aSurveyPastItsTimeLimitFailsAndSaysHowToNarrowIt() throws {
        let slow = ProcessTargeting(spec: ProcessSpec(selector: .cgroup("/")), procFS: procFS, timeLimit: .zero)
        let error = try #require(throws: AgentError.self) { try slow.preflight() }
        guard case .input(let input) = error else { Issue.record("a survey past its limit is refused (422, exit 2): \(error)"); return }
        #expect(input.description.contains("took longer than"))
        #expect(input.description.contains("narrow the selector"))
    }

    /// A container's init (pid 1 in its own pid namespace) is protected as
    /// the configurable names are; its namespace is named for --dry-run.
    @Test func aContainersInitIsProtectedAndItsNamespaceShown() throws {
        let found = try survey(.pid(400))
        #expect(found.eligible.isEmpty)
        let reason = try #require(found.spared.first?.1)
        #expect(reason.contains("init of another pid namespace (pid:[4026532456])"))
        #expect(reason.contains("--allow-protected"))
        let allowed = try ProcessTargeting(spec: ProcessSpec(selector: .pid(400), allowProtected: true), procFS: procFS).survey()
        let process = try #require(allowed.eligible.first)
        #expect(process.pidNamespace == PIDNamespace(name: "pid:[4026532456]", innerPID: 1))
        #expect(try survey(.pid(300)).eligible.first?.pidNamespace == nil, "the host's own processes carry none")
    }
}
