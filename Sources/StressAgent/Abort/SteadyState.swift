import StressCore

/// The check before an attack: every abort condition is evaluated once, all
/// at the same time. One that fails means the system is not in its steady
/// state, which proves nothing under attack; and a condition wrongly written
/// (a port no one listens on) is found before any harm.
enum SteadyState {
    /// What each condition sees now, in the order given: one look each,
    /// at elapsed 0.
    static func look(at conditions: [AbortCondition], on host: ProbeHost) async -> [ConditionTimeline] {
        guard !conditions.isEmpty else { return [] }
        let results = await withTaskGroup(of: (Int, ConditionProbeResult).self) { group in
            for (index, condition) in conditions.enumerated() {
                group.addTask { (index, await condition.check.probe.observe(on: host)) }
            }
            var results: [Int: ConditionProbeResult] = [:]
            for await (index, result) in group {
                results[index] = result
            }
            return results
        }
        return conditions.enumerated().map { index, condition in
            let result = results[index] ?? .failed("not evaluated")
            return ConditionTimeline(
                condition, evaluations: [ConditionEvaluation(elapsed: 0, value: result.value, passed: result.passed, detail: result.detail)])
        }
    }

    /// The refusal of the first condition (in the order given) that failed.
    static func refusal(_ looks: [ConditionTimeline]) -> AgentError? {
        for look in looks {
            if let failed = look.evaluations.first(where: { !$0.passed }) {
                return .notSteady(condition: look.condition, detail: failed.detail)
            }
        }
        return nil
    }
}
