import Foundation
import Glibc
import LinuxHost
import StressAgent
import Testing

/// On the real cgroup file system of this host (v1, v2 or hybrid).
@Suite("Attack cgroups on the real host", .serialized, .enabled(if: getuid() == 0, "needs root to create cgroups"))
struct AttackCgroupTests {
    func plan(_ name: String) throws -> AttackCgroup {
        try #require(AttackCgroup.plan(
            name: name, controller: "cpu", cgroupFS: CgroupFS(), membership: ProcFS().cgroupMembership()))
    }

    @Test func isPlannedBelowOurOwnCgroup() throws {
        let membership = try ProcFS().cgroupMembership()
        let cgroup = try plan("stressd-test-plan")
        let own = membership.path(forController: "cpu") ?? membership.unifiedPath ?? "/"
        #expect(cgroup.path.string.hasPrefix("/sys/fs/cgroup/"))
        #expect(cgroup.path.string.hasSuffix(own == "/" ? "/stressd-test-plan" : "\(own)/stressd-test-plan"))
    }

    @Test func destroyKillsWhatIsInsideAndRemovesIt() throws {
        let cgroup = try plan("stressd-test-\(getpid())")
        try cgroup.create()
        let sleeper = try SpawnedSleep()
        try cgroup.add(sleeper.pid)
        #expect(try cgroup.members() == [sleeper.pid])

        let killed = try cgroup.destroy()

        #expect(killed == 1)
        #expect(!cgroup.exists)
        sleeper.process.waitUntilExit()
        #expect(sleeper.process.terminationStatus == SIGKILL)
        #expect(try cgroup.destroy() == 0, "destroying twice is a no-op")
    }
}
