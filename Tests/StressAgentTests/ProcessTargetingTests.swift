import LinuxHost
import StressAgent
import StressCore
import SystemPackage
import Testing

/// `--unit` and friends on a recorded-style /proc of a systemd host (real
/// systemd is not PID 1 on the machines that run these tests).
@Suite struct ProcessTargetingTests {
    let procFS = ProcFS(root: FilePath(#filePath).removingLastComponent().removingLastComponent()
        .appending("Fixtures/systemd-units/proc"))

    func survey(_ selector: ProcessSelector, pick: ProcessSpec.Pick = .all) -> ProcessTargeting.Survey {
        ProcessTargeting(spec: ProcessSpec(selector: selector, pick: pick), procFS: procFS).survey()
    }

    @Test func aUnitMeansTheProcessesInItsCgroup() {
        #expect(survey(.unit("postgresql.service")).eligible.map(\.pid).sorted() == [100, 200])
        #expect(survey(.unit("nginx.service")).eligible.map(\.pid) == [300])
        #expect(survey(.unit("redis.service")).isEmpty)
    }

    @Test func candidatesCarryTheirCommandLineAndCgroup() throws {
        let master = try #require(survey(.pid(100)).eligible.first)
        #expect(master.commandLine == "postgres -D /var/lib/postgresql/15/main")
        #expect(master.cgroup == "/system.slice/postgresql.service")
        #expect(master.startTime == 4000)
        #expect(survey(.match("checkpointer")).eligible.map(\.pid) == [200])
        #expect(survey(.cgroup("/system.slice")).eligible.count == 3)
    }

    @Test func kernelThreadsAreSparedWithAReason() throws {
        let found = survey(.name("kthreadd"))
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
}
