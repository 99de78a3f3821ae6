import Glibc

/// Kernel constants user space needs to interpret /proc.
public enum SystemConstants {
    /// Clock ticks per second: the unit of utime, stime and starttime in /proc/PID/stat.
    public static let clockTicksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    public static let pageSize: UInt64 = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? UInt64(size) : 4096
    }()
}
