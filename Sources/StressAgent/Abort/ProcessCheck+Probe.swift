import LinuxHost
import StressCore

/// The processes the selector matches now, as kill and pause would find
/// them, leaving out stressd itself (its own command line may name the
/// service) and the agent's ancestors.
extension ProcessCheck: ConditionProbe {
    func observe(on host: ProbeHost) async -> ConditionProbeResult {
        let candidates: [ProcessCandidate]
        do {
            candidates = try host.procFS.processCandidates()
        } catch {
            return .failed("cannot list processes: \(error)")
        }
        let excluded = host.procFS.selfAndAncestors()
        let count = candidates.filter { !$0.isStressd && !excluded.contains($0.pid) && $0.threadOf == nil && selector.matches($0) }.count
        let seen = "\(count) process\(count == 1 ? "" : "es") match \(selector)"
        guard count >= minimum else {
            return ConditionProbeResult(value: Double(count), passed: false, detail: "\(seen), fewer than \(minimum)")
        }
        return ConditionProbeResult(value: Double(count), passed: true, detail: seen)
    }
}
