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
}
