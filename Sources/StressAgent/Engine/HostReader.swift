import LinuxHost
import StressCore

/// Reads what the guards and the report's timeline (`HostTimeline`) watch, at up to 10 Hz,
/// through files it holds open (`HeldFiles`), so a reading needs no new
/// file descriptor. A value the host cannot give now is nil in the reading,
/// with the reason in `unreadable`, so the guard can fail closed (`GuardWatch`).
struct HostReader {
    let environment: AgentEnvironment
    let watchesMemory: Bool
    let watchesLoad: Bool
    let watchesIOPressure: Bool
    /// Each disk floor's path and the directory the attack holds open for it.
    let watchedDirectories: [String: OpenDirectory]
    let watchedPaths: [String]
    let held = HeldFiles()

    init(environment: AgentEnvironment, guard: Guard, directories: [String: OpenDirectory]) {
        self.environment = environment
        watchesMemory = `guard`.watchesMemory
        watchesLoad = `guard`.watchesLoad
        watchesIOPressure = `guard`.watchesIOPressure
        watchedPaths = Array(`guard`.diskFloorBytes.keys)
        watchedDirectories = directories
    }

    func reading() -> Guard.Reading {
        var reading = Guard.Reading()
        for path in watchedPaths {
            do {
                guard let directory = watchedDirectories[path] else {
                    throw HostError.untrusted(path: path, reason: "is not held open by the attack")
                }
                reading.diskAvailableBytes[path] = try directory.capacity().availableBytes
            } catch {
                reading.unreadable.append("free space on \(path): \(error)")
            }
        }
        if watchesMemory {
            do {
                reading.memoryAvailableBytes = try environment.memoryGauge().read(through: held).available
            } catch {
                reading.unreadable.append("memory available: \(error)")
            }
        }
        if watchesLoad {
            do {
                reading.loadAverage1 = try environment.procFS.loadAverage(through: held).one
            } catch {
                reading.unreadable.append("load average: \(error)")
            }
        }
        if watchesIOPressure {
            do {
                guard let pressure = try environment.procFS.pressure(.io, through: held) else {
                    throw HostError.system(call: "open", path: environment.procFS.file("pressure/io").string, errno: .noSuchFileOrDirectory)
                }
                reading.ioPressure10 = pressure.some.avg10
            } catch {
                reading.unreadable.append("I/O pressure: \(error)")
            }
        }
        return reading
    }
}
