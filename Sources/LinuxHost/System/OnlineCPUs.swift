import CLinux
import Glibc
import StressCore
import SystemPackage

/// The CPUs this process may run on: its affinity mask, which `taskset`,
/// cpusets and container runtimes narrow. Not `nproc --all` and not the
/// cgroup quota (see `CgroupLimits`): a CPU attack sized from the host's CPU
/// count would start workers that can only fight over the allowed ones.
public enum OnlineCPUs {
    /// The bits of sched_getaffinity(2) for the calling thread. The mask
    /// grows until the kernel accepts it, so hosts with more than 1024 CPUs
    /// work too; `CPU_ISSET` is a C macro Swift cannot call, hence the own
    /// bit reading.
    public static func allowed() throws(HostError) -> CPUList {
        var words = 1024 / UInt.bitWidth
        while true {
            var mask = [UInt](repeating: 0, count: words)
            let result = mask.withUnsafeMutableBytes { stressd_sched_getaffinity($0.count, $0.baseAddress) }
            if result == 0 {
                return CPUList(mask.indices.flatMap { word in
                    (0..<UInt.bitWidth).filter { mask[word] & (1 << $0) != 0 }.map { word * UInt.bitWidth + $0 }
                })
            }
            let error = Glibc.errno
            guard error == EINVAL, words < 1 << 16 else {
                throw .system(call: "sched_getaffinity", path: nil, errno: Errno(rawValue: error))
            }
            words *= 2
        }
    }
}
