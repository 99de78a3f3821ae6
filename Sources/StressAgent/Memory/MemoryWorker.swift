import FoundationEssentials
import LinuxHost
import StressCore
import Synchronization

/// The body of `stressd worker mem`: holds `bytes` of anonymous memory
/// resident until its deadline, ramping at `ratePerSecond` if given, and
/// resizing when the supervisor sends `size N` (fill-to mode).
///
/// It volunteers to be the OOM killer's first choice (oom_score_adj 1000),
/// so under memory pressure the kernel kills the hog, never the service
/// under test or the supervisor that undoes the attack.
/// - Important: runs in its own process and blocks its main thread; it ends
///   the process when the supervisor goes away.
public struct MemoryWorker {
    public let bytes: UInt64
    public let ratePerSecond: UInt64?
    public let lock: Bool
    /// CLOCK_MONOTONIC nanoseconds.
    public let deadline: UInt64
    public let parent: Int32
    /// How often the worker grows a ramp step or looks for a new size.
    let step: UInt64 = 10_000_000

    public init(bytes: UInt64, ratePerSecond: UInt64?, lock: Bool, deadline: UInt64, parent: Int32) {
        self.bytes = bytes
        self.ratePerSecond = ratePerSecond
        self.lock = lock
        self.deadline = deadline
        self.parent = parent
    }

    private static func complain(_ message: String) {
        StandardStream.error.write("stressd worker mem: \(message)\n")
    }

    /// Exit status: 0 at the deadline, 3 if the supervisor was already gone,
    /// 4 if the memory could not be locked.
    public func run() -> Int32 {
        let target = Atomic<UInt64>(bytes)
        do {
            try WorkerTether.begin(parent: parent, deadline: deadline) { line in
                if line.hasPrefix("size "), let size = UInt64(line.dropFirst(5)) {
                    target.store(size, ordering: .relaxed)
                }
            }
        } catch {
            return error.exitStatus
        }
        try? ProcFS().setOOMScoreAdjustment(1000)

        let hold = MemoryHold()
        if lock {
            do {
                try hold.lock()
            } catch {
                Self.complain("cannot lock memory (\(error)); drop --lock, or raise the limit: CAP_IPC_LOCK or `ulimit -l`")
                return 4
            }
        }
        var next = MonotonicClock.now()
        while next < deadline {
            let wanted = target.load(ordering: .relaxed)
            do {
                if hold.heldBytes < wanted {
                    if let rate = ratePerSecond {
                        try hold.grow(by: min(wanted - hold.heldBytes, max(rate * step / 1_000_000_000, 1)))
                    } else {
                        try hold.grow(to: wanted)
                    }
                } else if hold.heldBytes > wanted {
                    hold.shrink(to: wanted)
                }
            } catch {
                // Locked memory over RLIMIT_MEMLOCK will not fit on a retry: say so and stop.
                if hold.isLocked, error.errno == .resourceTemporarilyUnavailable || error.errno == .noMemory
                    || error.errno == .notPermitted {
                    Self.complain("cannot lock \(ByteCount(bytes: wanted)) into RAM (\(error)); "
                        + "drop --lock, or raise the limit: CAP_IPC_LOCK or `ulimit -l`")
                    return 4
                }
                // Otherwise out of memory for now: keep what is held, try again next step.
            }
            next = max(next + step, MonotonicClock.now())
            MonotonicClock.sleep(until: min(next, deadline))
        }
        return 0
    }
}
