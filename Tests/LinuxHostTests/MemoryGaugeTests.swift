import Foundation
import LinuxHost
import StressCore
import SystemPackage
import TestSupport
import Testing

@Suite struct MemoryGaugeTests {
    func gauge(proc: ProcFS, cgroups: CgroupFS) throws -> MemoryGauge {
        MemoryGauge(proc: proc, files: CgroupLimitFiles(cgroups: cgroups, membership: try proc.cgroupMembership()))
    }

    @Test(arguments: [Fixture.hybridHost, .v2Container, .v1Host])
    func readsWhatValidationReads(fixture: Fixture) throws {
        let observer = HostObserver(proc: fixture.proc, cgroups: fixture.cgroups, allowedCPUs: { CPUList(0..<2) })
        #expect(try gauge(proc: fixture.proc, cgroups: fixture.cgroups).read() == observer.limits().memory)
    }

    @Test func findsTheFilesOnceThenReadsOnlyTheMemoryOnes() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path.appending("v1-host")
        try FileManager.default.copyItem(atPath: Fixture.v1Host.root.string, toPath: root.string)
        let proc = ProcFS(root: root.appending("proc"))
        let cgroups = CgroupFS(root: root.appending("sys/fs/cgroup"))
        let gauge = try gauge(proc: proc, cgroups: cgroups)
        #expect(try gauge.read().cgroupUsageBytes == 73_400_320)

        let service = cgroups.root.appending("memory/user.slice/batch.service")
        try "104857600\n".write(toFile: service.appending("memory.usage_in_bytes").string, atomically: false, encoding: .utf8)
        // What finding the files reads, and a CPU quota: the gauge reads neither again.
        try "garbage\n".write(toFile: proc.root.appending("self/cgroup").string, atomically: false, encoding: .utf8)
        try "garbage\n".write(
            toFile: cgroups.root.appending("cpu,cpuacct/user.slice/cpu.cfs_quota_us").string, atomically: false, encoding: .utf8)

        let capacity = try gauge.read()
        #expect(capacity.cgroupUsageBytes == 104_857_600, "every read reads the usage again")
        #expect(capacity.limitBytes == 268_435_456)
        let observer = HostObserver(proc: proc, cgroups: cgroups, allowedCPUs: { CPUList(0..<2) })
        #expect(throws: HostError.self, "finding the files again now fails") { try observer.limits() }
    }
}
