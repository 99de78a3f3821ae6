/// How much CPU stressd may use: the online CPUs it is allowed to run on,
/// capped by a cgroup CPU quota when one applies (in a container, the quota,
/// not the host, is 100%).
public struct CPUCapacity: Hashable, Sendable, Codable, CustomStringConvertible {
    /// CPUs in the process's affinity mask.
    public var onlineCPUs: Int
    /// Which ones, when known: what `--cpus` may pin to.
    public var allowedCPUs: CPUList?
    /// `quota / period` of the nearest CPU limit, in cores, if there is one.
    public var quotaCores: Double?

    public init(onlineCPUs: Int, quotaCores: Double? = nil) {
        self.onlineCPUs = max(1, onlineCPUs)
        self.quotaCores = quotaCores
    }

    public init(allowed: CPUList, quotaCores: Double? = nil) {
        self.init(onlineCPUs: allowed.count, quotaCores: quotaCores)
        allowedCPUs = allowed
    }

    /// The cores' worth of CPU time available per second.
    public var cores: Double {
        guard let quotaCores, quotaCores > 0 else { return Double(onlineCPUs) }
        return min(Double(onlineCPUs), quotaCores)
    }

    /// Workers that can each own a core: the quota rounded up.
    public var workerSlots: Int {
        max(1, Int(cores.rounded(.up)))
    }

    public var description: String {
        if let quotaCores, quotaCores < Double(onlineCPUs) {
            return "\(onlineCPUs) online CPUs, cgroup quota \(quotaCores) cores"
        }
        return "\(onlineCPUs) online CPUs"
    }
}
