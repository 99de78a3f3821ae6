import StressCore
import SystemPackage

extension ProcFS {
    /// The range the kernel accepts in `oom_score_adj`: -1000 exempts a
    /// process from the OOM killer, 1000 makes it the first to go.
    public static let oomScoreAdjustmentRange: ClosedRange<Int32> = -1000...1000

    /// Writes `/proc/<pid|self>/oom_score_adj`. The memory hog sets 1000 so
    /// the kernel kills it first; the supervisor sets a low score so the
    /// process that undoes the attack survives it.
    /// - Throws: EINVAL outside -1000...1000 (checked before writing), ENOENT
    ///   for a process that is gone, EACCES for a score below the process's
    ///   floor without CAP_SYS_RESOURCE.
    /// - Important: the floor is the last score a writer with CAP_SYS_RESOURCE
    ///   set (0 at first). Root in a container often lacks that capability
    ///   (this test sandbox does), so lowering may be refused there; raising
    ///   is always allowed. Another process's score needs the right to ptrace it.
    public func setOOMScoreAdjustment(_ value: Int32, pid: Int32? = nil) throws(HostError) {
        let path = oomScoreAdjustmentPath(pid)
        guard Self.oomScoreAdjustmentRange.contains(value) else {
            throw .system(call: "write", path: path.string, errno: .invalidArgument)
        }
        try TextFile.writeValue(String(value), to: path)
    }

    /// Reads `/proc/<pid|self>/oom_score_adj`: a decimal in -1000...1000.
    public func oomScoreAdjustment(pid: Int32? = nil) throws(HostError) -> Int32 {
        let path = oomScoreAdjustmentPath(pid)
        let text = try read(path).trimmingWhitespace()
        guard let value = Int32(text), Self.oomScoreAdjustmentRange.contains(value) else {
            throw .unparsable(file: path.string, text: text, reason: "not a number in -1000...1000")
        }
        return value
    }

    private func oomScoreAdjustmentPath(_ pid: Int32?) -> FilePath {
        pid.map { process($0, "oom_score_adj") } ?? current("oom_score_adj")
    }
}
