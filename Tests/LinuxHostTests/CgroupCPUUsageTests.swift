import LinuxHost
import Testing

@Suite("CPU usage of the cgroup whose quota binds")
struct CgroupCPUUsageTests {
    @Test func parsesBothVersions() throws {
        #expect(try CgroupCPUUsage.seconds(parsing: "usage_usec 2500000\nuser_usec 2000000\n", isV2: true, file: "cpu.stat") == 2.5)
        #expect(try CgroupCPUUsage.seconds(parsing: "1500000000\n", isV2: false, file: "cpuacct.usage") == 1.5)
        #expect(throws: HostError.self) { try CgroupCPUUsage.seconds(parsing: "user_usec 1\n", isV2: true, file: "cpu.stat") }
        #expect(throws: HostError.self) { try CgroupCPUUsage.seconds(parsing: "usage_usec x\n", isV2: true, file: "cpu.stat") }
        #expect(throws: HostError.self) { try CgroupCPUUsage.seconds(parsing: "", isV2: false, file: "cpuacct.usage") }
    }

    /// The counter is the one of the level whose quota is the tightest.
    @Test func v1HostCountsAtTheParentWithTheTighterQuota() throws {
        let fixture = Fixture.v1Host
        let files = CgroupLimitFiles(cgroups: fixture.cgroups, membership: try fixture.proc.cgroupMembership())
        let usage = try #require(try files.quotaScopeUsage())
        #expect(usage.file.string.hasSuffix("cpuacct/user.slice/cpuacct.usage"), "\(usage.file)")
        #expect(try usage.seconds() == 81.23456789)
    }

    @Test func v2ContainerCountsAtItsOwnCgroup() throws {
        let fixture = Fixture.v2Container
        let files = CgroupLimitFiles(cgroups: fixture.cgroups, membership: try fixture.proc.cgroupMembership())
        let usage = try #require(try files.quotaScopeUsage())
        #expect(usage.file.string.hasSuffix("docker-3f2a9c1e7b5d.scope/cpu.stat"), "\(usage.file)")
        #expect(try usage.seconds() == 7340.032512)
    }

    @Test func noQuotaMeansTheHostIsTheScope() throws {
        let fixture = Fixture.hybridHost
        let files = CgroupLimitFiles(cgroups: fixture.cgroups, membership: try fixture.proc.cgroupMembership())
        #expect(try files.quotaScopeUsage() == nil)
    }
}
