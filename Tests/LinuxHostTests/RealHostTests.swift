import Glibc
import LinuxHost
import Testing

/// Reads this machine's /proc and /sys/fs/cgroup and checks what must hold
/// anywhere, so parsers meet the real kernel and not only fixtures.
@Suite struct RealHostTests {
    @Test func snapshotOfThisHost() async throws {
        let observer = HostObserver(interval: .milliseconds(200))
        let snapshot = try await observer.snapshot()

        #expect(snapshot.memory.availableBytes <= snapshot.memory.totalBytes)
        #expect(snapshot.memory.swapFreeBytes <= snapshot.memory.swapTotalBytes)
        #expect(snapshot.cgroup.layout != .none, "this machine mounts cgroups")
        let busy = try #require(snapshot.cpu.busyFraction)
        #expect((0...1).contains(busy))
        #expect(snapshot.cpu.capacity.onlineCPUs <= snapshot.cpu.hostCPUs)
        #expect(snapshot.fileSystems.contains { $0.mountPoint == "/" })
        #expect(!snapshot.fileSystems.contains { ["proc", "sysfs", "cgroup", "cgroup2"].contains($0.type) })
        #expect(snapshot.topByMemory.count <= 5)
        #expect(snapshot.topByMemory.allSatisfy { $0.rssBytes > 0 })
    }

    @Test func thisTestProcessIsInTheProcessList() throws {
        let stats = try HostObserver().processStats()
        let me = try #require(stats.first { $0.pid == getpid() })
        #expect(me.parentPID == getppid())
        #expect(!me.isKernelThread)
        #expect(me.residentPages > 0)
    }

    @Test func cpuCapacityMatchesTheAffinityMask() throws {
        let capacity = try HostObserver().cpuCapacity()
        #expect(capacity.onlineCPUs == (try OnlineCPUs.allowed()).count)
        #expect(capacity.allowedCPUs == (try OnlineCPUs.allowed()))
        #expect(capacity.cores > 0)
    }

    @Test func bootIDLooksLikeAUUID() throws {
        let id = try ProcFS().bootID()
        #expect(id.count == 36)
        #expect(id.filter { $0 == "-" }.count == 4)
    }
}
