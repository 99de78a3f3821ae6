import LinuxHost
import StressCore

/// The processes the selector matches now, as kill and pause would find
/// them, leaving out stressd itself (its own command line may name the
/// service), the agent's ancestors, threads and kernel threads.
extension ProcessCheck: ConditionProbe {
    func observe(on host: ProbeHost) async -> ConditionProbeResult {
        let count: Int
        do {
            count = try host.procFS.count(matching: selector, excluding: host.selfAndAncestors)
        } catch {
            return .failed("cannot list processes: \(error)")
        }
        let seen = "\(count) \(count == 1 ? "process matches" : "processes match") \(selector)"
        guard count >= minimum else {
            return ConditionProbeResult(value: Double(count), passed: false, detail: "\(seen), fewer than \(minimum)")
        }
        return ConditionProbeResult(value: Double(count), passed: true, detail: seen)
    }
}
