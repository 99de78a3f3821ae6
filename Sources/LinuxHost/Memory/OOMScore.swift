import SystemPackage

extension ProcFS {
    /// Writes `/proc/<pid|self>/oom_score_adj` (-1000...1000). The memory hog
    /// sets 1000 so the kernel kills it first; the supervisor sets a low
    /// score so the process that undoes the attack survives it.
    /// - Important: lowering a score needs CAP_SYS_RESOURCE.
    public func setOOMScoreAdjustment(_ value: Int32, pid: Int32? = nil) throws(HostError) {
        guard (-1000...1000).contains(value) else {
            throw .system(call: "oom_score_adj", path: nil, errno: .invalidArgument)
        }
        try TextFile.writeValue(String(value), to: pid.map { process($0, "oom_score_adj") } ?? current("oom_score_adj"))
    }

    public func oomScoreAdjustment(pid: Int32? = nil) throws(HostError) -> Int32 {
        let path = pid.map { process($0, "oom_score_adj") } ?? current("oom_score_adj")
        let text = try read(path).trimmingWhitespaceAndNewlines()
        guard let value = Int32(text) else {
            throw .unparsable(file: path.string, text: text, reason: "not a number")
        }
        return value
    }
}
