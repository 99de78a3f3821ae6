import LinuxHost
import SystemPackage
import Testing

/// Where an attack's cgroup goes on each layout: always below stressd's own
/// cgroup, so workers stay under the limits stressd is under.
@Suite struct AttackCgroupPlanTests {
    @Test("planned below our own cgroup", arguments: [
        (Fixture.hybridHost, "sys/fs/cgroup/cpu/stressd-cpu-1"),
        (Fixture.v1Host, "sys/fs/cgroup/cpu/user.slice/batch.service/stressd-cpu-1"),
        (Fixture.v2Container, "sys/fs/cgroup/system.slice/docker-3f2a9c1e7b5d.scope/stressd-cpu-1"),
    ])
    func plannedBelowOwnCgroup(fixture: Fixture, relative: String) throws {
        let cgroup = try #require(AttackCgroup.plan(
            name: "stressd-cpu-1", controller: "cpu", cgroupFS: fixture.cgroups,
            membership: fixture.proc.cgroupMembership()))
        #expect(cgroup.path == fixture.root.appending(relative))
    }

    @Test func noCgroupFileSystemMeansNoCgroup() throws {
        let membership = try CgroupMembership(parsing: "0::/\n")
        let plan = AttackCgroup.plan(
            name: "stressd-cpu-1", controller: "cpu",
            cgroupFS: CgroupFS(root: Fixture.odd.root.appending("sys/fs/cgroup")), membership: membership)
        #expect(plan == nil)
    }
}
