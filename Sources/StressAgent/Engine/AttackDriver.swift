import LinuxHost
import StressCore

/// The kind-specific half of an attack: what to create, how to measure it,
/// how to stop it. `AttackSupervisor` is the other half and owns everything
/// kinds share: the ledger record, the cgroup, the deadline, stop requests,
/// guards, cleanup and its verification.
protocol AttackDriver {
    /// The v1 hierarchy the attack's cgroup goes in (`cpu`, `memory`); on
    /// cgroup v2 the unified one is used. nil: the attack has no workers.
    var cgroupController: String? { get }
    /// How often `tick` runs.
    var sampleInterval: Duration { get }
    /// Whether the attack changes the host beyond its workers (files,
    /// stopped processes), so that a cleanup watchdog must outlive the
    /// supervisor; an attack with workers (and so a cgroup) gets one too.
    var holdsStateOutsideWorkers: Bool { get }
    /// How much longer than usual its `stop` may take (deleting a large
    /// written working set), which the cleanup watchdog waits beyond its
    /// grace before it judges the supervisor hung.
    var cleanupAllowance: Duration { get }

    /// Adds what `start` will create, whose name is known in advance (a fill
    /// folder), to the session's record before its first write.
    func plan(_ session: AttackSession)
    /// Creates what the attack needs and starts the work. Everything it
    /// creates is recorded in the session's ledger record first.
    mutating func start(_ session: AttackSession) async throws(AgentError)
    /// Measures and adjusts once per `sampleInterval`.
    mutating func tick(_ session: AttackSession) async -> DriverTick
    /// Stops the work and reaps the workers; the supervisor undoes the rest.
    mutating func stop(_ session: AttackSession)
    /// What `stop` undid itself and what it could not, for the report's
    /// cleanup verification.
    var undone: DriverUndo { get }
    /// Directories the guards read free space through (`--path` → its
    /// descriptor): the ones the attack works in, not whatever the path
    /// names when the guard looks.
    var watchedDirectories: [String: OpenDirectory] { get }
    /// The kind's measurements, for the report. Called after cleanup, so a
    /// driver can measure what came back (free space after a fill).
    func measurements(into report: inout AttackReport)
}

extension AttackDriver {
    var holdsStateOutsideWorkers: Bool { false }
    var cleanupAllowance: Duration { .zero }
    /// Whether the attack gets a cleanup watchdog: anything a SIGKILLed
    /// supervisor would leave behind (files, stopped processes, workers in
    /// a cgroup) needs one.
    var needsWatchdog: Bool { holdsStateOutsideWorkers || cgroupController != nil }
    func plan(_ session: AttackSession) {}
    var undone: DriverUndo { DriverUndo() }
    var watchedDirectories: [String: OpenDirectory] { [:] }
}

/// What one tick found.
struct DriverTick {
    /// Set to end the attack now (a worker died, the kernel OOM-killed the hog).
    var outcome: AttackOutcome?
    /// One line for people watching: what the attack achieves right now;
    /// nil on ticks that should not print (a driver ticking faster than 1 Hz).
    var progress: String?
    /// The same in numbers, with a progress line.
    var level: AttackLevel?
}

/// What a driver's `stop` undid itself, through what it holds open, before
/// the record's undo runs.
struct DriverUndo {
    var removedFillFolders: [String] = []
    /// What it could not undo.
    var leftovers: [String] = []
}
