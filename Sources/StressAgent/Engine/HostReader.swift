import LinuxHost
import StressCore
import SystemPackage

/// Reads what the guards and the report's timeline watch, at up to 10 Hz.
/// A value the host cannot give now is nil: a guard does not trip on a
/// reading it could not take.
struct HostReader {
    let environment: AgentEnvironment
    let watchesMemory: Bool
    let watchesLoad: Bool
    let watchedPaths: [String]

    init(environment: AgentEnvironment, guard: Guard) {
        self.environment = environment
        watchesMemory = `guard`.watchesMemory
        watchesLoad = `guard`.watchesLoad
        watchedPaths = Array(`guard`.diskFloorBytes.keys)
    }

    func reading() -> Guard.Reading {
        var disks: [String: UInt64] = [:]
        for path in watchedPaths {
            disks[path] = (try? DiskCapacity(path: FilePath(path)))?.availableBytes
        }
        return Guard.Reading(
            memoryAvailableBytes: watchesMemory ? (try? environment.memoryGauge().read())?.available : nil,
            diskAvailableBytes: disks,
            loadAverage1: watchesLoad ? (try? environment.procFS.loadAverage())?.one : nil)
    }

    /// A timeline point: always memory and load, whatever the guards watch.
    func sample(elapsed: Double) -> HostSample {
        HostSample(
            elapsed: elapsed, memoryAvailableBytes: (try? environment.memoryGauge().read())?.available,
            loadAverage1: (try? environment.procFS.loadAverage())?.one)
    }
}
