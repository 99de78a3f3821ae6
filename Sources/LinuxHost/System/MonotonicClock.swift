import Glibc

/// CLOCK_MONOTONIC and the process CPU clock, in nanoseconds. Deadlines
/// handed to worker processes are CLOCK_MONOTONIC instants: the clock is
/// system-wide, so supervisor and worker agree on when time is up.
public enum MonotonicClock {
    public static func now() -> UInt64 {
        read(CLOCK_MONOTONIC)
    }

    /// CPU time used by all threads of this process.
    public static func processCPUTime() -> UInt64 {
        read(CLOCK_PROCESS_CPUTIME_ID)
    }

    /// Sleeps until the monotonic instant `deadline`, resuming after signals.
    /// - Important: blocks the calling thread.
    public static func sleep(until deadline: UInt64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
