import StressCore

/// What the agent answers about its attacks, running, finished and
/// recovered: the API's reads, which change nothing.
extension Agent {
    /// One attack, whole: a finished one with its report (read back from
    /// the state directory; `unknownReport` once its retention let it go).
    public func attack(_ id: AttackID) throws(AgentError) -> AgentAttack {
        if let attack = running[id] { return live(id, attack, now: clock.now()) }
        if let done = finished[id] { return AgentAttack(finished: try report(of: id, done)) }
        if let undone = recovered[id] { return AgentAttack(id: id, state: .recovered, undone: undone) }
        throw .unknownAttack(id)
    }

    func report(of id: AttackID, _ done: Finished) throws(AgentError) -> AttackReport {
        if let report = done.unsaved { return report }
        return try environment.reports.load(id)
    }

    /// The paths running attacks write to (fills), sorted: the file systems
    /// whose free space the metrics watch.
    public func writtenPaths() -> [String] {
        Set(running.values.compactMap { $0.spec.parameters.engine.writtenPath }).sorted()
    }

    /// Every attack the agent knows that `filter` matches, as lines of the
    /// list: running, finished, recovered, by id.
    public func summaries(matching filter: AttackFilter = AttackFilter()) -> [AttackSummary] {
        let now = clock.now()
        let active = running.map { AttackSummary(live($0.key, $0.value, now: now)) }
        let done = finished.values.map(\.summary)
        let undone = recovered.values.map { AttackSummary(AgentAttack(id: $0.id, state: .recovered, undone: $0)) }
        return (active + done + undone).filter(filter.matches).sorted { $0.id < $1.id }
    }

    /// The running attacks, whole, by id.
    public func runningAttacks() -> [AgentAttack] {
        let now = clock.now()
        return running.map { live($0.key, $0.value, now: now) }.sorted { $0.id < $1.id }
    }

    private func live(_ id: AttackID, _ attack: Running, now: Duration) -> AgentAttack {
        let progress = attack.progress.current
        return AgentAttack(
            id: id, state: .running, spec: attack.spec, progress: progress?.line, level: progress?.level,
            conditions: progress?.conditions.isEmpty == false ? progress?.conditions : nil,
            leaseSecondsLeft: attack.leaseDeadline.map { max(0, (($0 - now)).seconds) }, guards: attack.guards)
    }

    /// Why an id that is not running cannot be renewed or stopped: a known
    /// attack that ended is a conflict (409), not an unknown one (404), so
    /// a client never reads "gone" as "never existed".
    func notRunning(_ id: AttackID) -> AgentError {
        if finished[id] != nil {
            return .conflict("\(id) has already ended; its report is at /v1/reports/\(id) while the retention ([reports]) keeps it")
        }
        if recovered[id] != nil {
            return .conflict("\(id) was left by an earlier run and undone when this agent started; nothing runs to renew or stop")
        }
        return .unknownAttack(id)
    }
}
