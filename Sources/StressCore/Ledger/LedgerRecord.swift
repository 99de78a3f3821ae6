import FoundationEssentials

/// What one attack has created, or is about to, written to the state
/// directory *before* each thing is created. Replaying it undoes the attack
/// even when the supervisor that wrote it was SIGKILLed or the host rebooted.
public struct LedgerRecord: Codable, Hashable, Sendable {
    public let id: AttackID
    public let spec: AttackSpec
    /// /proc/sys/kernel/random/boot_id when the record was written. After a
    /// reboot every recorded process is gone, whatever pid now has its number.
    public let bootID: String
    /// The process that runs the attack. While it lives the attack is its to
    /// undo; once it is gone, anyone may replay this record.
    public let supervisor: ProcessIdentity
    public let startedAt: Date
    /// When the attack ends at the latest (the time box).
    public let deadline: Date
    /// Worker processes, added one by one after spawn and before they start work.
    public var workers: [ProcessIdentity]
    /// cgroup directories stressd created for this attack, deepest last.
    public var cgroups: [String]
    /// Folders a disk fill writes into (`PATH/.stressd-fill-ID`). Unlike
    /// processes they survive a reboot, so they are undone whatever the boot.
    public var fillDirectories: [String]
    /// Processes a pause attack stopped (or is about to): recorded before
    /// SIGSTOP, so no replay ever leaves one stopped.
    public var stoppedProcesses: [ProcessIdentity]

    public init(
        id: AttackID, spec: AttackSpec, bootID: String, supervisor: ProcessIdentity,
        startedAt: Date, deadline: Date, workers: [ProcessIdentity] = [], cgroups: [String] = [],
        fillDirectories: [String] = [], stoppedProcesses: [ProcessIdentity] = []
    ) {
        self.id = id
        self.spec = spec
        self.bootID = bootID
        self.supervisor = supervisor
        self.startedAt = startedAt
        self.deadline = deadline
        self.workers = workers
        self.cgroups = cgroups
        self.fillDirectories = fillDirectories
        self.stoppedProcesses = stoppedProcesses
    }
}
