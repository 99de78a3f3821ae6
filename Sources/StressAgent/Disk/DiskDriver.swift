import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Fills a file system: files in `PATH/.stressd-fill-ID/`, recorded in the
/// ledger before the first byte. fallocate takes the space in milliseconds
/// at start; where the file system cannot fallocate, zeros are written a
/// slice per tick so the guards keep watching while it fills. The files
/// are deleted by the same undo as every other attack's leftovers.
struct DiskDriver: AttackDriver {
    let spec: DiskSpec
    let policy: SafetyPolicy
    let cgroupController: String? = nil
    let holdsStateOutsideWorkers = true
    let sampleInterval: Duration = .milliseconds(100)
    /// Wall time one tick may spend writing zeros.
    let writeSliceNanoseconds: UInt64 = 80_000_000
    /// `--path` and the fill's folder in it; free space is read through it too.
    let place: AttackFolder
    var parent: OpenDirectory { place.parent }

    private var directory: FillDirectory?
    private var target: UInt64 = 0
    private var method = FillDirectory.Method.fallocate
    private var shortfall: FillDirectory.Shortfall?
    private var startInstant: UInt64 = 0
    private var secondsToFill: Double?
    private var availableBefore: UInt64 = 0
    private var availableLowest: UInt64 = .max
    private var ticks = 0
    private(set) var undone = DriverUndo()

    init(spec: DiskSpec, policy: SafetyPolicy) throws(AgentError) {
        self.spec = spec
        self.policy = policy
        place = try AttackFolder(path: spec.path)
    }

    var watchedDirectories: [String: OpenDirectory] { [spec.path: parent] }

    func plan(_ session: AttackSession) {
        place.plan(session)
    }

    mutating func start(_ session: AttackSession) async throws(AgentError) {
        let now: DiskCapacity
        do {
            now = try parent.capacity()
        } catch {
            throw .host(error)
        }
        availableBefore = now.availableBytes
        availableLowest = now.availableBytes
        let floor = policy.diskFloorBytes(size: now.sizeBytes)
        // The floor is on what unprivileged users can still allocate
        // (f_bavail): root's reserved blocks are only reachable with
        // --include-reserved *and* a floor of 0.
        let aboveFloor = now.availableBytes > floor ? now.availableBytes - floor : 0
        target = floor == 0 ? spec.targetBytes(now) : min(spec.targetBytes(now), aboveFloor)
        directory = try place.create(session)
        startInstant = MonotonicClock.now()
        try fillSome()
    }

    /// Fills toward the target: all of it with fallocate, a time slice of
    /// it when writing zeros.
    private mutating func fillSome() throws(AgentError) {
        guard let directory, directory.filledBytes < target, shortfall == nil else { return }
        let stopAt = MonotonicClock.now() + writeSliceNanoseconds
        do {
            let result = try directory.fill(
                bytes: target - directory.filledBytes, method: method,
                shouldContinue: { MonotonicClock.now() < stopAt })
            method = result.method
            shortfall = result.shortfall
        } catch {
            throw .host(error)
        }
        if directory.filledBytes >= target, secondsToFill == nil {
            secondsToFill = Double(MonotonicClock.now() - startInstant) / 1e9
        }
    }

    mutating func tick(_ session: AttackSession) async -> DriverTick {
        ticks += 1
        do {
            try fillSome()
        } catch {
            return DriverTick(outcome: .failed(reason: error.description), progress: nil)
        }
        let available = (try? parent.capacity())?.availableBytes
        if let available { availableLowest = min(availableLowest, available) }
        guard ticks % 10 == 0 else { return DriverTick(outcome: nil, progress: nil) }
        let filled = directory?.filledBytes ?? 0
        var line = "filled \(ByteCount(bytes: filled)) of \(ByteCount(bytes: target)) (\(method.rawValue))"
        if let available { line += ", \(ByteCount(bytes: available)) free" }
        if let shortfall { line += ", stopped short: \(shortfall.rawValue)" }
        return DriverTick(outcome: nil, progress: line, level: AttackLevel(unit: "bytes", requested: Double(target), achieved: Double(filled)))
    }

    /// Deletes the fill through the descriptors it was made with, so the
    /// space comes back even if another user moved the folder away; the
    /// record's undo that follows then finds nothing at its path, or
    /// refuses whatever was planted there.
    mutating func stop(_ session: AttackSession) {
        guard let directory else { return }
        do {
            try directory.remove()
            undone.removedFillFolders.append(directory.path.string)
        } catch {
            undone.leftovers.append(error.description)
        }
    }

    func measurements(into report: inout AttackReport) {
        report.disk = DiskMeasurements(
            path: spec.path, fillDirectory: directory?.path.string ?? "", targetBytes: target,
            filledBytes: directory?.filledBytes ?? 0, method: method.rawValue, shortfall: shortfall?.rawValue,
            secondsToFill: secondsToFill, availableBeforeBytes: availableBefore,
            availableLowestBytes: min(availableLowest, availableBefore),
            availableAfterBytes: (try? parent.capacity())?.availableBytes)
    }
}
