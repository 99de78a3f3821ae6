import StressCore

/// The check before an attack: every abort condition is evaluated once, all
/// at the same time, and one that fails refuses the attack. A system that is
/// not in its steady state proves nothing under attack; and a condition
/// wrongly written (a port no one listens on) is found before any harm.
public enum SteadyState {
    /// Returns when every condition passes; throws `notSteady` naming the
    /// first (in the order given) that failed and what was seen.
    static func require(_ conditions: [AbortCondition], on host: ProbeHost) async throws(AgentError) {
        guard !conditions.isEmpty else { return }
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
        for (index, condition) in conditions.enumerated() {
            if let result = results[index], !result.passed {
                throw .notSteady(condition: condition.line, detail: result.detail)
            }
        }
    }
}
