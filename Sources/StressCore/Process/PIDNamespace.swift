/// The pid namespace of a process that is not in stressd's own, such as a
/// container's: `--dry-run` and the report show it, so no one hits a
/// container's process thinking it is the host's.
///
/// Such processes are eligible targets — killing a containerised service is
/// a common experiment, and root on the host may signal them anyway — but
/// the init of another namespace (pid 1 inside it) is protected as the
/// configurable names are: when it ends, the kernel kills every process in
/// its namespace, a blast radius far beyond the one process named, so it
/// takes `--allow-protected`.
public struct PIDNamespace: Hashable, Sendable, Codable {
    /// The kernel's name for it, as `/proc/PID/ns/pid` links to it, such as
    /// `pid:[4026532456]`; nil if that link could not be read.
    public var name: String?
    /// The process's pid inside that namespace: 1 for its init.
    public var innerPID: Int32

    public init(name: String?, innerPID: Int32) {
        self.name = name
        self.innerPID = innerPID
    }

    public var isInit: Bool { innerPID == 1 }
}
