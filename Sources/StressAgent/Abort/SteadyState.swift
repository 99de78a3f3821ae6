import StressCore

/// The check before an attack: every abort condition is evaluated once, all
/// at the same time. One that fails means the system is not in its steady
/// state, which proves nothing under attack; and a condition wrongly written
/// (a port no one listens on) is found before any harm.
enum SteadyState {
    /// What each condition sees now, in the order given.
    static func look(at conditions: [AbortCondition], on host: ProbeHost) async -> [PlannedCondition] {
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
            return PlannedCondition(
                condition: condition.line, source: condition.source, unit: type(of: condition.check.conditionCheck).unit,
                value: result.value, passed: result.passed, detail: result.detail)
        }
    }

    /// The refusal of the first condition (in the order given) that failed.
    static func refusal(_ looks: [PlannedCondition]) -> AgentError? {
        looks.first { !$0.passed }.map { AgentError.notSteady(condition: $0.condition, detail: $0.detail) }
    }
}
