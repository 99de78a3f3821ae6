import LinuxHost
import StressCore
import Synchronization

/// Evaluates an attack's abort conditions while it runs, each in a loop of
/// its own at its own interval, so a slow http check never delays a
/// pressure check. The `misses`-th failure in a row of any of them ends
/// the attack through its `StopRequest` (outcome `aborted`), which wakes the
/// supervisor at once. Every evaluation is kept for the report.
final class AbortWatch: Sendable {
    let conditions: [AbortCondition]
    let host: ProbeHost
    let clock: AgentClock
    /// The attack's start on `clock`: evaluations are timed from it.
    let start: Duration
    private let evaluations: Mutex<[[ConditionEvaluation]]>

    init(conditions: [AbortCondition], host: ProbeHost, clock: AgentClock, start: Duration) {
        self.conditions = conditions
        self.host = host
        self.clock = clock
        self.start = start
        evaluations = Mutex(Array(repeating: [], count: conditions.count))
    }

    /// Runs until the attack is stopped (by a breach or anything else) or
    /// the task is cancelled. Each condition is first checked at the start.
    func run(stop: StopRequest) async {
        await withTaskGroup(of: Void.self) { group in
            for index in conditions.indices {
                group.addTask { await self.watch(index, stop: stop) }
            }
        }
    }

    /// Each condition's evaluations so far, for the report.
    var timelines: [ConditionTimeline] {
        let recorded = evaluations.withLock { $0 }
        return zip(conditions, recorded).map { condition, evaluations in
            ConditionTimeline(condition, evaluations: evaluations)
        }
    }

    /// Each condition's latest check, once checked: what the agent's API
    /// and metrics say of a running attack.
    var verdicts: [ConditionVerdict] {
        let recorded = evaluations.withLock { $0 }
        return zip(conditions, recorded).compactMap { condition, evaluations in
            evaluations.last.map { ConditionVerdict(condition: condition.line, passed: $0.passed, detail: $0.detail) }
        }
    }

    private func watch(_ index: Int, stop: StopRequest) async {
        var judge = ConditionWatch(condition: conditions[index])
        let probe = conditions[index].check.probe
        let interval = conditions[index].interval
        var next = clock.now()
        while !Task.isCancelled, stop.requestedOutcome == nil {
            let result = await probe.observe(on: host)
            guard !Task.isCancelled, stop.requestedOutcome == nil else { return }
            let evaluation = ConditionEvaluation(
                elapsed: (clock.now() - start).seconds, value: result.value, passed: result.passed, detail: result.detail)
            evaluations.withLock { $0[index].append(evaluation) }
            if let breach = judge.judge(evaluation) {
                stop.end(.aborted(condition: breach.condition, reason: breach.reason))
                return
            }
            next += interval
            let now = clock.now()
            if next > now {
                await stop.sleep(for: next - now, on: clock)
            } else {
                next = now
            }
        }
    }
}
