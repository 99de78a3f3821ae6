/// A process as a process attack sees it when choosing victims: who it is
/// (pid and start time), what it runs, whose it is and where it lives.
public struct ProcessCandidate: Hashable, Sendable, Codable {
    public var identity: ProcessIdentity
    /// The kernel's `comm`: the executable name, at most 15 bytes.
    public var command: String
    /// argv joined by spaces; empty for kernel threads.
    public var commandLine: String
    public var userID: UInt32
    /// Its cgroup: the unified path, or the systemd hierarchy's on v1.
    public var cgroup: String
    public var isKernelThread: Bool
    /// Clock ticks after boot, to pick the oldest or newest.
    public var startTime: UInt64 { identity.startTime }
    public var pid: Int32 { identity.pid }

    public init(identity: ProcessIdentity, command: String, commandLine: String, userID: UInt32, cgroup: String, isKernelThread: Bool) {
        self.identity = identity
        self.command = command
        self.commandLine = commandLine
        self.userID = userID
        self.cgroup = cgroup
        self.isKernelThread = isKernelThread
    }
}
