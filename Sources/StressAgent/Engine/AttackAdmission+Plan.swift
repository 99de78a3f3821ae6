import LinuxHost
import StressCore

extension AttackAdmission {
    /// What the admitted attack would do (`AttackPlan`): its kind's
    /// footprint on the host as it is now, each guard with the margin the
    /// attack would leave, the targets of kill and pause, and what each
    /// abort condition sees. Reads the load average and I/O pressure where
    /// a cap is set; creates nothing.
    public func plan(procFS: ProcFS = ProcFS()) -> AttackPlan {
        let footprint = spec.parameters.kindSpec.footprint(host: limits)
        let rails = spec.parameters.engine.guardRails(policy: policy, limits: limits)
        var floors: [PlannedFloor] = []
        if let floor = rails.memoryFloorBytes {
            let now = Double(limits.memory.available)
            floors.append(PlannedFloor(
                name: "memory-floor", watches: "memory available", unit: "bytes", limit: Double(floor), now: now,
                afterAttack: now - Double(footprint.memoryBytes ?? 0)))
        }
        for (path, floor) in rails.diskFloorBytes.sorted(by: { $0.key < $1.key }) {
            let now = limits.disk.map { Double($0.availableBytes) }
            floors.append(PlannedFloor(
                name: "disk-floor", watches: "free space on \(path)", unit: "bytes", limit: Double(floor), now: now,
                afterAttack: now.map { $0 - Double(footprint.diskBytes ?? 0) }))
        }
        if let cap = rails.maxLoadAverage {
            floors.append(PlannedFloor(
                name: "load-average", watches: "the 1-minute load average", unit: "", limit: cap, now: try? procFS.loadAverage().one))
        }
        if let cap = rails.maxIOPressure {
            let pressure = (try? procFS.pressure(.io)).flatMap { $0 }
            floors.append(PlannedFloor(
                name: "io-pressure", watches: "the host's I/O pressure (PSI some avg10)", unit: "%", limit: cap, now: pressure?.some.avg10))
        }
        return AttackPlan(
            spec: spec, summary: spec.summary(host: limits), footprint: footprint, floors: floors, targets: plannedTargets,
            abortConditions: steadyState, refusal: SteadyState.refusal(steadyState)?.description)
    }

    private var plannedTargets: PlannedTargets? {
        guard let targets, let survey else { return nil }
        return PlannedTargets(
            selector: targets.selector.description, pick: targets.pick.description,
            eligible: survey.eligible.sorted { $0.pid < $1.pid },
            spared: survey.spared.map { PlannedTargets.Spared(process: $0.0, reason: $0.1) })
    }
}
