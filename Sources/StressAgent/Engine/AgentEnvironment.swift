import LinuxHost
import StressCore
import SystemPackage

/// Everything an attack needs from the world, injected so tests can point
/// it at a temp state directory, fixture trees, or a different binary.
public struct AgentEnvironment: Sendable {
    public var procFS: ProcFS
    public var cgroupFS: CgroupFS
    public var ledger: Ledger
    public var stateDirectory: FilePath
    /// The stressd binary that `stressd worker …` re-executes.
    public var workerExecutable: String
    public var bootID: String
    public var policy: SafetyPolicy

    public init(
        stateDirectory: FilePath, workerExecutable: String, procFS: ProcFS = ProcFS(),
        cgroupFS: CgroupFS = CgroupFS(), policy: SafetyPolicy = .default
    ) throws(AgentError) {
        self.procFS = procFS
        self.cgroupFS = cgroupFS
        self.stateDirectory = stateDirectory
        self.workerExecutable = workerExecutable
        self.policy = policy
        self.ledger = try Ledger(stateDirectory: stateDirectory)
        do {
            self.bootID = try procFS.bootID()
        } catch {
            throw .host(error)
        }
    }

    /// Reads the host through this environment's /proc and cgroup roots.
    public var observer: HostObserver { HostObserver(proc: procFS, cgroups: cgroupFS) }

    public var undo: AttackUndo { AttackUndo(procFS: procFS, bootID: bootID) }
    public var replay: LedgerReplay { LedgerReplay(ledger: ledger, undo: undo) }
}
