import Glibc

/// Kernel constants from sysconf(3) that turn /proc counters into units.
public enum SystemConfiguration {
    /// `_SC_CLK_TCK`: the unit of /proc/stat and /proc/PID/stat CPU times
    /// (100 on every mainstream Linux, but asked, not assumed).
    public static var clockTicksPerSecond: Int {
        let value = sysconf(Int32(_SC_CLK_TCK))
        return value > 0 ? value : 100
    }

    /// `_SC_PAGESIZE`: the unit of the resident set size in /proc/PID/stat.
    public static var pageSize: Int {
        let value = sysconf(Int32(_SC_PAGESIZE))
        return value > 0 ? value : 4096
    }
}
