import Foundation
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

    /// Exit status: 0 at the deadline, 3 if the supervisor was already gone,
    /// 4 if the memory could not be locked.
    public func run() -> Int32 {
        do {
            try ParentDeathSignal.arm(expectedParent: parent)
        } catch {
            return 3
        }
        try? ProcFS().setOOMScoreAdjustment(1000)
        var reader = ControlReader()
        guard reader.nextLine(deadline: deadline) == "go" else { return 0 }

        let target = Atomic<UInt64>(bytes)
        let listener = Thread { [reader] in
            var reader = reader
            while let line = reader.nextLine() {
                if line.hasPrefix("size "), let size = UInt64(line.dropFirst(5)) {
                    target.store(size, ordering: .relaxed)
                }
            }
            exit(0)
        }
        listener.start()

        let hold = MemoryHold()
        if lock {
            do {
                try hold.lock()
            } catch {
                FileHandle.standardError.write(Data("stressd worker mem: cannot lock memory: \(error)\n".utf8))
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
                // Out of memory for now: keep what is held, try again next step.
            }
            next = max(next + step, MonotonicClock.now())
            MonotonicClock.sleep(until: min(next, deadline))
        }
        return 0
    }
}
