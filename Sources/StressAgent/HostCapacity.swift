import LinuxHost
import StressCore

/// What this process may use of the host: the facts validation and sizing need.
public enum HostCapacity {
    /// CPUs in the affinity mask, capped by the tightest cgroup CPU quota.
    public static func cpu(procFS: ProcFS = ProcFS(), cgroupFS: CgroupFS = CgroupFS()) throws(AgentError) -> CPUCapacity {
        do {
            let online = try OnlineCPUs.count()
            let quota = try cgroupFS.limits(for: procFS.cgroupMembership()).cpuQuotaCores
            return CPUCapacity(onlineCPUs: online, quotaCores: quota)
        } catch {
            throw .host(error)
        }
    }
}
