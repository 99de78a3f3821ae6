/// Processes an attack must never hit. PID 1, stressd and its ancestors,
/// every other stressd process (supervisors, workers, cleanup watchdogs,
/// agents), kernel threads and a pid that names a thread rather than a
/// process are always refused; the configurable names (sshd and systemd-journald by
/// default: killing them locks operators out or loses the evidence) and the
/// init of another pid namespace (a container's: see `PIDNamespace`) only
/// with `--allow-protected`.
public struct DenyList: Hashable, Sendable {
    public var protectedNames: Set<String>
    /// stressd's own pid and every ancestor's up to PID 1.
    public var selfAndAncestors: Set<Int32>

    public static let defaultProtectedNames: Set<String> = ["sshd", "systemd-journald", "systemd-journal"]

    public init(protectedNames: Set<String> = DenyList.defaultProtectedNames, selfAndAncestors: Set<Int32>) {
        self.protectedNames = protectedNames
        self.selfAndAncestors = selfAndAncestors
    }

    /// Why `candidate` is off limits, or nil if it may be hit.
    public func refusal(for candidate: ProcessCandidate, allowProtected: Bool) -> String? {
        if let process = candidate.threadOf {
            return "\(candidate.pid) is a thread of process \(process), not a process; threads are never targets (give --pid \(process))"
        }
        if candidate.pid == 1 { return "PID 1 (init) is never a target" }
        if selfAndAncestors.contains(candidate.pid) { return "stressd itself and its ancestors are never targets" }
        if candidate.isStressd {
            return "stressd never attacks stressd (another attack's supervisor, worker or cleanup watchdog, or an agent)"
        }
        if candidate.isKernelThread { return "kernel threads are never targets" }
        if !allowProtected, protectedNames.contains(candidate.command) {
            return "\(candidate.command) is protected (--allow-protected overrides the protected names)"
        }
        if !allowProtected, let namespace = candidate.pidNamespace, namespace.isInit {
            return "the init of another pid namespace (\(namespace.name ?? "a container's")): ending it ends every process in it "
                + "(--allow-protected overrides)"
        }
        return nil
    }
}
