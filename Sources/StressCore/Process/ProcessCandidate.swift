/// A process as a process attack sees it when choosing victims: who it is
/// (pid and start time), what it runs, whose it is and where it lives.
public struct ProcessCandidate: Hashable, Sendable, Codable {
    public var identity: ProcessIdentity
    /// The kernel's `comm`: the executable name, at most 15 bytes.
    public var command: String
    /// argv joined by spaces, at most `commandLineLimit` bytes of it; empty
    /// for kernel threads.
    public var commandLine: String
    public var userID: UInt32
    /// Its cgroup: the unified path, or the systemd hierarchy's on v1.
    public var cgroup: String
    public var isKernelThread: Bool
    /// Set only when the pid names a thread other than its process's main
    /// one: the process it belongs to (`Tgid`). Such a pid is never a target.
    public var threadOf: Int32?
    /// Set only for a process in another pid namespace than stressd's.
    public var pidNamespace: PIDNamespace?
    /// It runs stressd (the same executable as this process, or a program
    /// named `stressd`): another attack's supervisor, worker or watchdog,
    /// or an agent. Such a process is never a target.
    public var isStressd: Bool
    /// Clock ticks after boot, to pick the oldest or newest.
    public var startTime: UInt64 { identity.startTime }

    /// How much of a command line is read, matched by `--match` and kept in
    /// reports: the kernel allows megabytes, and a process whose command
    /// line is huge must not make every survey slow nor every report big.
    /// 4 KiB holds any real program's arguments that identify it.
    public static let commandLineLimit = 4_096
    public var pid: Int32 { identity.pid }

    public init(
        identity: ProcessIdentity, command: String, commandLine: String, userID: UInt32, cgroup: String, isKernelThread: Bool,
        threadOf: Int32? = nil, pidNamespace: PIDNamespace? = nil, isStressd: Bool = false
    ) {
        self.identity = identity
        self.command = command
        self.commandLine = commandLine
        self.userID = userID
        self.cgroup = cgroup
        self.isKernelThread = isKernelThread
        self.threadOf = threadOf
        self.pidNamespace = pidNamespace
        self.isStressd = isStressd
    }

    /// Reports written before `isStressd` existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        identity = try container.decode(ProcessIdentity.self, forKey: .identity)
        command = try container.decode(String.self, forKey: .command)
        commandLine = try container.decode(String.self, forKey: .commandLine)
        userID = try container.decode(UInt32.self, forKey: .userID)
        cgroup = try container.decode(String.self, forKey: .cgroup)
        isKernelThread = try container.decode(Bool.self, forKey: .isKernelThread)
        threadOf = try container.decodeIfPresent(Int32.self, forKey: .threadOf)
        pidNamespace = try container.decodeIfPresent(PIDNamespace.self, forKey: .pidNamespace)
        isStressd = try container.decodeIfPresent(Bool.self, forKey: .isStressd) ?? false
    }
}
