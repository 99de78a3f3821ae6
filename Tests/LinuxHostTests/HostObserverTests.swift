@testable import LinuxHost
import StressCore
import Testing

@Suite struct HostObserverTests {
    func observer(_ fixture: Fixture, cpus: Int = 4) -> HostObserver {
        HostObserver(proc: fixture.proc, cgroups: fixture.cgroups, interval: .milliseconds(10), allowedCPUs: { CPUList(0..<cpus) })
    }

    /// The fixture's state as the first sample, and a second one a second
    /// later in which java used 0.9 of a core and `my (odd) name` 0.3.
    func twoSamples(_ observer: HostObserver) throws -> (HostObserver.Sample, HostObserver.Sample) {
        let first = try observer.sample()
        var second = first
        let hz = UInt64(SystemConstants.clockTicksPerSecond)
        second.processes[57]?.userTicks += hz * 9 / 10
        second.processes[4242]?.systemTicks += hz * 3 / 10
        second.cpuTimes.all.user += 2 * hz
        second.cpuTimes.all.idle += 2 * hz
        return (first, second)
    }

    @Test func cpuCapacityOfAContainerIsItsQuota() throws {
        let capacity = try observer(.v2Container).cpuCapacity()
        #expect(capacity == CPUCapacity(allowed: CPUList(0..<4), quotaCores: 1.5))
        #expect(capacity.cores == 1.5)
        #expect(try observer(.hybridHost, cpus: 2).cpuCapacity() == CPUCapacity(allowed: CPUList(0..<2), quotaCores: nil))
        #expect(try observer(.v1Host, cpus: 2).cpuCapacity().cores == 0.5)
    }

    @Test func snapshotOfTheContainerFixture() throws {
        let observer = observer(.v2Container)
        let (first, second) = try twoSamples(observer)
        let snapshot = try observer.snapshot(between: first, and: second, elapsed: .seconds(1), topCount: 2)

        #expect(snapshot.intervalSeconds == 1)
        #expect(snapshot.cpu.hostCPUs == 4)
        #expect(snapshot.cpu.busyFraction == 0.5)
        #expect(snapshot.cpu.busyCores == 2)
        #expect(snapshot.memory.totalBytes == 8_025_424 * 1024)
        #expect(snapshot.load.runnable == 3)
        #expect(snapshot.pressure == nil, "no /proc/pressure in this container")
        #expect(snapshot.cgroup.layout == .v2)
        #expect(snapshot.cgroup.path == "/system.slice/docker-3f2a9c1e7b5d.scope")
        #expect(snapshot.cgroup.memoryLimitBytes == 536_870_912)
        #expect(snapshot.cgroup.cpuQuotaCores == 1.5)

        #expect(snapshot.topByCPU.map(\.pid) == [57, 4242], "idle processes are left out, busiest first")
        let java = try #require(snapshot.topByCPU.first)
        #expect(abs(java.cpuCores - 0.9) < 1e-9)
        #expect(abs(java.cpuPercent - 60) < 1e-9, "0.9 of a 1.5-core quota")
        #expect(snapshot.topByMemory.map(\.pid) == [57, 4242], "topCount caps the list")
        #expect(snapshot.topByMemory.first?.rssBytes == 102_400 * SystemConstants.pageSize)
    }

    @Test func aReusedPidDoesNotCountTheOldProcessTime() throws {
        let observer = observer(.v2Container)
        var (first, second) = try twoSamples(observer)
        second.processes[57]?.startTime += 1
        let usage = try observer.snapshot(between: first, and: second, elapsed: .seconds(1)).topByCPU
        #expect(!usage.contains { $0.pid == 57 })
    }

    @Test func hybridHostSnapshotHasPressureAndNoLimits() throws {
        let observer = observer(.hybridHost, cpus: 2)
        let sample = try observer.sample()
        let snapshot = try observer.snapshot(between: sample, and: sample, elapsed: .seconds(1))
        #expect(snapshot.cgroup.layout == .hybrid)
        #expect(snapshot.cgroup.unifiedMount?.hasSuffix("hybrid-host/sys/fs/cgroup/unified") == true)
        #expect(snapshot.cgroup.memoryLimitBytes == nil)
        #expect(snapshot.pressure?.cpu?.some.totalMicroseconds == 22_539_718)
        #expect(snapshot.cpu.busyFraction == nil, "no tick passed between identical samples")
        #expect(snapshot.topByCPU.isEmpty)
        #expect(snapshot.topByMemory.map(\.pid) == [1, 4187], "kernel threads have no RSS")
    }

    @Test func listedMountsSkipPseudoFileSystemsAndShadowedMounts() throws {
        let mounts = HostObserver.listedMounts(try Fixture.hybridHost.proc.mountInfo())
        #expect(mounts.map(\.mountPoint) == [
            "/", "/mnt/sandboxing/model_tools_env/v1/python", "/dev/shm", "/sys/fs/cgroup",
        ])
        #expect(mounts.first { $0.mountPoint == "/dev/shm" }?.mountID == 30, "the later mount is the visible one")
        let container = HostObserver.listedMounts(try Fixture.v2Container.proc.mountInfo())
        #expect(container.map(\.fileSystemType).contains("overlay"))
        #expect(!container.contains { $0.fileSystemType == "proc" || $0.fileSystemType == "cgroup2" })
    }

    @Test func snapshotWaitsOnTheInjectedClock() async throws {
        let observer = observer(.v1Host, cpus: 2)
        let snapshot = try await observer.snapshot(clock: ContinuousClock())
        #expect(snapshot.intervalSeconds >= 0.01)
        #expect(snapshot.cgroup.cpuQuotaCores == 0.5)
        #expect(snapshot.cpu.capacity.cores == 0.5)
    }
}
