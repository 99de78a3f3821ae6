import StressCore
import SystemPackage

/// The CPU time a cgroup's processes have used, read from the cgroup whose
/// quota binds a process: what `cpu --total` tops up to its target inside
/// a CPU-limited container, where the host's /proc/stat counts everyone.
///
/// Files (cgroup v2 docs, cgroup v1 cpuacct.txt):
/// - v2 `cpu.stat`: `usage_usec 7340032512` among other `key value` lines.
/// - v1 `cpuacct/…/cpuacct.usage`: nanoseconds, `81234567890`.
/// https://docs.kernel.org/admin-guide/cgroup-v2.html#cpu-interface-files
public struct CgroupCPUUsage: Hashable, Sendable {
    public let file: FilePath
    let isV2: Bool

    /// Seconds of CPU used since the cgroup was made.
    public func seconds() throws(HostError) -> Double {
        try Self.seconds(parsing: TextFile.read(file, limit: 4096), isV2: isV2, file: file.string)
    }

    public static func seconds(parsing text: String, isV2: Bool, file: String) throws(HostError) -> Double {
        if isV2 {
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.count == 2, words[0] == "usage_usec" {
                    guard let microseconds = UInt64(words[1]) else { break }
                    return Double(microseconds) / 1e6
                }
            }
            throw .unparsable(file: file, text: text, reason: "expected a line 'usage_usec N'")
        }
        guard let nanoseconds = UInt64(text.trimmingWhitespace()) else {
            throw .unparsable(file: file, text: text, reason: "expected a number of nanoseconds")
        }
        return Double(nanoseconds) / 1e9
    }
}

extension CgroupLimitFiles {
    /// The CPU usage of the cgroup that holds the tightest CPU quota over
    /// the process; nil without a quota, or where that cgroup keeps no
    /// count (a v1 host without the cpuacct controller there).
    public func quotaScopeUsage() throws(HostError) -> CgroupCPUUsage? {
        guard let level = try tightestCPUQuotaLevel(), let file = cpuUsages[level] else { return nil }
        guard Directory.exists(file) else { return nil }
        return CgroupCPUUsage(file: file, isV2: file.lastComponent?.string == "cpu.stat")
    }
}
