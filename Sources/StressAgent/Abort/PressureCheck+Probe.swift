import LinuxHost
import StressCore
import SystemPackage

/// The avg10 of the `some` or `full` line of a pressure file: the host's
/// (/proc/pressure/RESOURCE) or a cgroup's (RESOURCE.pressure in the
/// cgroup2 tree), opened one directory at a time without following a link.
extension PressureCheck: ConditionProbe {
    func observe(on host: ProbeHost) async -> ConditionProbeResult {
        let stall: PressureStall
        do {
            stall = try read(on: host)
        } catch {
            return .failed("cannot read \(whose) \(resource.rawValue) pressure: \(error)")
        }
        guard let averages = line == .some ? stall.some : stall.full else {
            return .failed("\(whose) \(resource.rawValue) pressure has no \(line.rawValue) line on this kernel")
        }
        let value = averages.avg10
        let seen = "\(whose) \(resource.rawValue) pressure (\(line.rawValue) avg10) is \(value.fixed(2))%"
        guard value <= ceiling.percent else {
            return ConditionProbeResult(value: value, passed: false, detail: "\(seen), above \(ceiling)")
        }
        return ConditionProbeResult(value: value, passed: true, detail: seen)
    }

    private var whose: String {
        switch scope {
        case .host: "the host's"
        case .unit(let unit): "\(unit)'s"
        case .cgroup(let path): "cgroup \(path)'s"
        }
    }

    private func read(on host: ProbeHost) throws(HostError) -> PressureStall {
        let file = "\(resource.rawValue).pressure"
        switch scope {
        case .host:
            let kind = PressureStall.Resource(resource)
            guard let stall = try host.procFS.pressure(kind) else {
                // No PSI: before Linux 4.20, CONFIG_PSI=n, or psi=0.
                throw .system(call: "open", path: host.procFS.file("pressure").appending(kind.rawValue).string, errno: .noSuchFileOrDirectory)
            }
            return stall
        case .unit(let unit):
            let directory = try CgroupTree(cgroupFS: host.cgroupFS).unitDirectory(unit)
            return try PressureStall(parsing: directory.readText(file), file: directory.path.appending(file).string)
        case .cgroup(let path):
            let directory = try CgroupTree(cgroupFS: host.cgroupFS).directory(path)
            return try PressureStall(parsing: directory.readText(file), file: directory.path.appending(file).string)
        }
    }
}

extension PressureStall.Resource {
    init(_ resource: PressureCheck.Resource) {
        switch resource {
        case .cpu: self = .cpu
        case .memory: self = .memory
        case .io: self = .io
        }
    }
}
