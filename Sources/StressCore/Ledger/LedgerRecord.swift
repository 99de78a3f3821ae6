import FoundationEssentials

/// What one attack has created, or is about to, written to the state
/// directory *before* each thing is created. Replaying it undoes the attack
/// even when the supervisor that wrote it was SIGKILLed or the host rebooted.
public struct LedgerRecord: Codable, Hashable, Sendable {
    public let id: AttackID
    /// What the attack was asked to do; nil when this version of stressd
    /// cannot read the spec another version wrote (its rules changed). Undoing
    /// never needs it: everything to undo is in the fields below, so such a
    /// record is still replayed rather than blocking the whole ledger.
    public let spec: AttackSpec?
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
    public var fillDirectories: [FillFolderRecord]
    /// Processes a pause attack stopped (or is about to): recorded before
    /// SIGSTOP, so no replay ever leaves one stopped.
    public var stoppedProcesses: [ProcessIdentity]
    /// The attack's cleanup watchdog, once spawned: it undoes this record
    /// if the supervisor dies or hangs, and is never one of what to undo.
    public var watchdog: ProcessIdentity?

    /// The spec's labels; none when the spec did not decode.
    public var labels: AttackLabels { spec?.labels ?? AttackLabels() }

    public init(
        id: AttackID, spec: AttackSpec, bootID: String, supervisor: ProcessIdentity,
        startedAt: Date, deadline: Date, workers: [ProcessIdentity] = [], cgroups: [String] = [],
        fillDirectories: [FillFolderRecord] = [], stoppedProcesses: [ProcessIdentity] = []
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

    /// The synthesized decoding, but a spec that does not decode is nil.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(AttackID.self, forKey: .id)
        spec = try? container.decode(AttackSpec.self, forKey: .spec)
        bootID = try container.decode(String.self, forKey: .bootID)
        supervisor = try container.decode(ProcessIdentity.self, forKey: .supervisor)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        deadline = try container.decode(Date.self, forKey: .deadline)
        workers = try container.decode([ProcessIdentity].self, forKey: .workers)
        cgroups = try container.decode([String].self, forKey: .cgroups)
        fillDirectories = try container.decode([FillFolderRecord].self, forKey: .fillDirectories)
        stoppedProcesses = try container.decode([ProcessIdentity].self, forKey: .stoppedProcesses)
        watchdog = try container.decodeIfPresent(ProcessIdentity.self, forKey: .watchdog)
    }
}
