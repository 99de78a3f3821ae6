import Glibc
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
    /// This process, as every ledger record names its supervisor (a replay
    /// leaves a record alone while the process that wrote it still runs),
    /// read once; like the cgroup files, a failure here fails attacks only.
    private var supervisorIdentity: Result<ProcessIdentity, HostError>
    /// The cgroup files that hold this process's memory and CPU limits,
    /// found once, as guards and validation read them many times. Processes
    /// are not moved between cgroups in practice (systemd keeps a service's
    /// processes in its unit's cgroup); an agent moved by hand must be
    /// restarted to see its new limits. If they cannot be found, only what
    /// needs them fails: `cleanup`, `status` and `stop` never do.
    private var cgroupLimitFiles: Result<CgroupLimitFiles, HostError>
    public var policy: SafetyPolicy
    /// How many reports the state directory keeps, and how long; nil where
    /// the operator's setting is not known (the cleanup watchdog), so a
    /// save there deletes nothing.
    public var reportRetention: ReportRetention?

    public init(
        stateDirectory: FilePath, workerExecutable: String, procFS: ProcFS = ProcFS(),
        cgroupFS: CgroupFS = CgroupFS(), policy: SafetyPolicy = .default, reportRetention: ReportRetention? = .default
    ) throws(AgentError) {
        self.reportRetention = reportRetention
        self.procFS = procFS
        self.cgroupFS = cgroupFS
        self.stateDirectory = stateDirectory
        self.workerExecutable = workerExecutable
        self.policy = policy
        self.ledger = try Ledger(stateDirectory: stateDirectory)
        self.supervisorIdentity = Result { () throws(HostError) in try procFS.processStat(getpid()).identity }
        self.cgroupLimitFiles = Result { () throws(HostError) in
            CgroupLimitFiles(cgroups: cgroupFS, membership: try procFS.cgroupMembership())
        }
        do {
            self.bootID = try procFS.bootID()
        } catch {
            throw .host(error)
        }
    }

    /// Reads the host through this environment's /proc and cgroup roots.
    public var observer: HostObserver { HostObserver(proc: procFS, cgroups: cgroupFS) }

    /// This process's identity, for the ledger records it writes.
    public func supervisor() throws(HostError) -> ProcessIdentity {
        try supervisorIdentity.get()
    }

    /// What validation needs to know about the host (see `HostObserver.limits()`).
    public func hostLimits() throws(HostError) -> HostLimits {
        try observer.limits(reading: cgroupLimitFiles.get())
    }

    /// Reads how much memory this process's scope has, for guards and drivers.
    public func memoryGauge() throws(HostError) -> MemoryGauge {
        MemoryGauge(proc: procFS, files: try cgroupLimitFiles.get())
    }

    /// What `cpu --total` measures: the cgroup whose CPU quota binds this
    /// process, where one does and counts its usage, else the host.
    public func cpuScopeMeter() -> any CPUScopeMeter {
        if let usage = try? cgroupLimitFiles.get().quotaScopeUsage() {
            return CgroupCPUMeter(usage: usage)
        }
        return HostCPUMeter(procFS: procFS)
    }

    public var undo: AttackUndo { AttackUndo(procFS: procFS, cgroupRoot: cgroupFS.root, bootID: bootID) }
    public var replay: LedgerReplay { LedgerReplay(ledger: ledger, undo: undo) }
    /// Finished attacks' reports, beside the ledger.
    public var reports: ReportStore { ReportStore(stateDirectory: stateDirectory, retention: reportRetention) }
    /// How many attacks cleanup watchdogs have undone here, beside the ledger.
    public var watchdogTally: WatchdogTally { WatchdogTally(stateDirectory: stateDirectory) }
}
