import LinuxHost
import Testing

@Suite struct CgroupLimitsTests {
    @Test(arguments: [
        ("max\n", nil),
        ("536870912\n", 536_870_912 as UInt64?),
        ("9223372036854771712\n", nil),
        ("9223372036854710272\n", nil),
        ("-1", nil),
        ("0\n", 0),
    ])
    func memoryLimit(text: String, bytes: UInt64?) throws {
        #expect(try CgroupLimits.memoryLimit(parsing: text, file: "memory.max") == bytes)
    }

    @Test(arguments: ["", "lots\n", "12 34\n"])
    func memoryLimitRejects(text: String) {
        #expect(throws: HostError.self) { try CgroupLimits.memoryLimit(parsing: text, file: "memory.max") }
    }

    @Test(arguments: [
        ("150000 100000\n", 1.5 as Double?),
        ("max 100000\n", nil),
        ("50000 100000", 0.5),
        ("200000 50000\n", 4.0),
    ])
    func cpuMax(text: String, cores: Double?) throws {
        #expect(try CgroupLimits.cpuMax(parsing: text, file: "cpu.max") == cores)
    }

    @Test(arguments: ["", "max\n", "150000\n", "150000 0\n", "-5 100000\n", "max max\n"])
    func cpuMaxRejects(text: String) {
        #expect(throws: HostError.self) { try CgroupLimits.cpuMax(parsing: text, file: "cpu.max") }
    }

    @Test(arguments: [
        ("-1\n", "100000\n", nil as Double?),
        ("250000\n", "100000\n", 2.5),
        ("-1\n", "garbage", nil),
    ])
    func cfsQuota(quota: String, period: String, cores: Double?) throws {
        #expect(try CgroupLimits.cfsQuota(parsing: quota, period: period, file: "cpu.cfs_quota_us") == cores)
    }

    @Test(arguments: [("x", "100000"), ("50000", "0"), ("0", "100000"), ("50000", "")])
    func cfsQuotaRejects(quota: String, period: String) {
        #expect(throws: HostError.self) {
            try CgroupLimits.cfsQuota(parsing: quota, period: period, file: "cpu.cfs_quota_us")
        }
    }

    @Test func v2ContainerLimitsAtItsOwnCgroup() throws {
        let fixture = Fixture.v2Container
        let limits = try fixture.cgroups.limits(for: fixture.proc.cgroupMembership())
        #expect(limits == CgroupLimits(memoryLimitBytes: 536_870_912, cpuQuotaCores: 1.5, memoryUsageBytes: 187_904_000))
    }

    @Test func v1HostTakesTheTighterParentQuota() throws {
        let fixture = Fixture.v1Host
        let limits = try fixture.cgroups.limits(for: fixture.proc.cgroupMembership())
        // batch.service allows 2 cores, but its parent user.slice only 0.5.
        #expect(limits.cpuQuotaCores == 0.5)
        #expect(limits.memoryLimitBytes == 268_435_456)
        #expect(limits.memoryUsageBytes == 73_400_320)
    }

    @Test func hybridHostReadsV1ControllersAndHasNoLimit() throws {
        let fixture = Fixture.hybridHost
        let limits = try fixture.cgroups.limits(for: fixture.proc.cgroupMembership())
        #expect(limits.memoryLimitBytes == nil, "9223372036854771712 means unlimited")
        #expect(limits.cpuQuotaCores == nil, "cfs_quota_us -1 means no quota")
        #expect(limits.memoryUsageBytes == 552_370_176, "usage of the process's own memory cgroup")
    }

    @Test func missingDirectoriesAreSkippedOnTheWayUp() throws {
        // A cgroup namespace or a v1 bind mount hides the deeper part of the
        // path /proc/self/cgroup names; the limits above still apply.
        let membership = try CgroupMembership(parsing: "0::/system.slice/docker-3f2a9c1e7b5d.scope/hidden/deeper\n")
        let limits = try Fixture.v2Container.cgroups.limits(for: membership)
        #expect(limits.memoryLimitBytes == 536_870_912)
        #expect(limits.cpuQuotaCores == 1.5)
        #expect(limits.memoryUsageBytes == 187_904_000, "usage of the deepest cgroup that exists")
    }

    @Test func noMembershipLinesMeansNoLimits() throws {
        let limits = try Fixture.v2Container.cgroups.limits(for: CgroupMembership(parsing: ""))
        #expect(limits == CgroupLimits())
    }
}
