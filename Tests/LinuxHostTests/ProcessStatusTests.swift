import Glibc
import LinuxHost
import Testing

@Suite struct ProcessStatusTests {
    static let kibibyte: UInt64 = 1024

    @Test func recordedSleepProcess() throws {
        let sleep = try Fixture.hybridHost.proc.processStatus(27533)
        #expect(sleep.name == "sleep")
        #expect(sleep.state == "S")
        #expect(sleep.pid == 27533)
        #expect(sleep.parentPID == 1, "recorded after its shell exited")
        #expect(sleep.threads == 1)
        #expect(sleep.threadGroupID == 27533)
        #expect(sleep.namespacePIDs == [27533], "in the namespace /proc was mounted in")
        #expect(sleep.residentBytes == 1828 * Self.kibibyte)
        #expect(sleep.peakResidentBytes == 1828 * Self.kibibyte)
        #expect(sleep.swappedBytes == 0)
        #expect(sleep.lockedBytes == 0)
    }

    @Test func recordedKernelThreadHasNoMemoryFields() throws {
        let kthreadd = try Fixture.hybridHost.proc.processStatus(2)
        #expect(kthreadd.name == "kthreadd")
        #expect(kthreadd.parentPID == 0)
        #expect(kthreadd.residentBytes == nil)
        #expect(kthreadd.peakResidentBytes == nil)
        #expect(kthreadd.swappedBytes == nil)
        #expect(kthreadd.lockedBytes == nil)
    }

    @Test func nameWithSpacesAndParentheses() throws {
        let odd = try Fixture.v2Container.proc.processStatus(4242)
        #expect(odd.name == "my (odd) name")
        #expect(odd.state == "R")
        #expect(odd.residentBytes == 8192 * Self.kibibyte)
        #expect(odd.peakResidentBytes == 16384 * Self.kibibyte)
        #expect(odd.swappedBytes == 512 * Self.kibibyte)
        #expect(odd.lockedBytes == 4096 * Self.kibibyte)
    }

    @Test func brokenFileAndMissingProcess() throws {
        #expect(throws: HostError.self) { try Fixture.odd.proc.processStatus(99) }
        let gone = try #require(throws: HostError.self) { try Fixture.odd.proc.processStatus(12345) }
        #expect(gone.errno == .noSuchFileOrDirectory)
    }

    @Test func thisProcessAgreesWithItsStat() throws {
        let status = try ProcFS().processStatus(getpid())
        let stat = try ProcFS().processStat(getpid())
        #expect(status.pid == getpid())
        #expect(status.name == stat.command)
        let resident = try #require(status.residentBytes)
        let peak = try #require(status.peakResidentBytes)
        #expect(resident > 0 && peak >= resident)
        #expect(try ProcFS().currentStatus().pid == getpid())
    }

    @Test("parses", arguments: [
        ("Name:\tx\nState:\tS (sleeping)\n", "x", nil),
        ("Name:\ta:b c\nState:\tR (running)\nVmRSS:\t       7 kB\n", "a:b c", 7 * 1024),
        ("Name:\tline\\nbreak\\\\\nState:\tS (sleeping)\nVmRSS:\t0 kB\n", "line\nbreak\\", 0),
        ("Name:\tx\nState:\tS\nNewField:\tsomething: else\nVmRSS:\t1 kB\n", "x", 1024),
        ("Name:\t\nState:\tZ (zombie)\n", "", nil),
    ] as [(String, String, UInt64?)])
    func parses(text: String, name: String, resident: UInt64?) throws {
        let status = try ProcessStatus(parsing: text)
        #expect(status.name == name)
        #expect(status.residentBytes == resident)
    }

    @Test("refuses", arguments: [
        "",
        "State:\tS (sleeping)\n",
        "Name:\tx\n",
        "Name:\tx\nState:\t\n",
        "Name:\tx\nState:\tS\nno colon here\n",
        "Name:\tx\nState:\tS\nVmRSS:\t12\n",
        "Name:\tx\nState:\tS\nVmRSS:\t12 MB\n",
        "Name:\tx\nState:\tS\nVmRSS:\t-1 kB\n",
        "Name:\tx\nState:\tS\nVmSwap:\t18446744073709551615 kB\n",
        "Name:\tx\nState:\tS\nPid:\tabc\n",
        "Name:\tx\nState:\tS\nNSpid:\t12\tx\n",
        "Name:\tx\nState:\tS\nTgid:\t\n",
    ])
    func refuses(text: String) {
        #expect(throws: HostError.self) { try ProcessStatus(parsing: text, file: "status") }
    }

    /// A thread's own status names its process in `Tgid`; a process in a
    /// container's pid namespace lists its pid there last in `NSpid`.
    @Test("threads and pid namespaces", arguments: [
        ("Name:\tx\nState:\tS\nTgid:\t700\nPid:\t701\nNSpid:\t701\n", Int32(700), [Int32(701)]),
        ("Name:\tsh\nState:\tS\nTgid:\t5012\nPid:\t5012\nNSpid:\t5012\t1\n", 5012, [5012, 1]),
        ("Name:\tx\nState:\tS\nTgid:\t9\nNSpid:\t9\t40\t1\n", 9, [9, 40, 1]),
        ("Name:\told\nState:\tS\nTgid:\t9\n", 9, []),
    ] as [(String, Int32, [Int32])])
    func threadsAndNamespaces(text: String, threadGroup: Int32, namespacePIDs: [Int32]) throws {
        let status = try ProcessStatus(parsing: text)
        #expect(status.threadGroupID == threadGroup)
        #expect(status.namespacePIDs == namespacePIDs)
    }
}
