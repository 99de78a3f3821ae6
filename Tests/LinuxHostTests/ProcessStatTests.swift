import LinuxHost
import Testing

@Suite struct ProcessStatTests {
    @Test func kernelThreadFromTheRecordedHost() throws {
        let kthreadd = try Fixture.hybridHost.proc.processStat(2)
        #expect(kthreadd.command == "kthreadd")
        #expect(kthreadd.isKernelThread)
        #expect(kthreadd.residentPages == 0)
        let initProcess = try Fixture.hybridHost.proc.processStat(1)
        #expect(!initProcess.isKernelThread)
        #expect(initProcess.parentPID == 0)
    }

    @Test func recordedUserProcess() throws {
        let sleep = try Fixture.hybridHost.proc.processStat(4187)
        #expect(sleep.command == "sleep")
        #expect(sleep.residentPages > 0)
        #expect(!sleep.isKernelThread)
    }

    @Test func commandWithSpacesAndParentheses() throws {
        let odd = try Fixture.v2Container.proc.processStat(4242)
        #expect(odd.command == "my (odd) name")
        #expect(odd.state == "R")
        #expect(odd.parentPID == 57)
        #expect(odd.cpuTicks == 1520)
        #expect(odd.startTime == 90210)
        #expect(odd.residentPages == 2048)
    }

    @Test func kworkerWithColonsAndSlashes() throws {
        let worker = try Fixture.v1Host.proc.processStat(731)
        #expect(worker.command == "kworker/u8:2-events_unbound")
        #expect(worker.state == "I")
        #expect(worker.isKernelThread)
    }

    @Test func truncatedFileAndMissingProcess() throws {
        #expect(throws: HostError.self) { try Fixture.odd.proc.processStat(99) }
        let gone = try #require(throws: HostError.self) { try Fixture.odd.proc.processStat(12345) }
        #expect(gone.errno == .noSuchFileOrDirectory)
    }

    @Test(arguments: [
        ("", "no 'pid (comm)' prefix"),
        ("42 43 (sleep) S 1", "no 'pid (comm)' prefix"),
        ("-5 (sleep) S 1", "no 'pid (comm)' prefix"),
        ("99999999999 (sleep) S 1", "no 'pid (comm)' prefix"),
        ("42 (sleep) ", "no state field"),
        ("42 (sleep) S -1 42 42 0 -1 4194560 1 0 0 0 1 2 0 0 20 0 1 0 500 1000 10", "field 4 missing or not a number"),
        ("42 (sleep) S 1 42 42 0 -1 4194560 1 0 0 0 1 2 0 0 20 0 1 0 500 1000", "field 24 missing or not a number"),
    ])
    func rejectsBrokenText(text: String, reason: String) {
        #expect {
            try ProcessStat(parsing: text, file: "stat")
        } throws: { error in
            guard case .unparsable(_, _, let actual) = error as? HostError else { return false }
            return actual == reason
        }
    }

    @Test func parsesEveryFieldItReads() throws {
        let stat = try ProcessStat(parsing: "42 (a) b) S 7 42 42 0 -1 4194560 1 0 0 0 11 22 0 0 20 0 3 0 500 1000 10 0\n")
        #expect(stat.pid == 42)
        #expect(stat.command == "a) b")
        #expect(stat.state == "S")
        #expect(stat.parentPID == 7)
        #expect(stat.flags == 4_194_560)
        #expect(stat.userTicks == 11)
        #expect(stat.systemTicks == 22)
        #expect(stat.threads == 3)
        #expect(stat.startTime == 500)
        #expect(stat.residentPages == 10)
    }
}
