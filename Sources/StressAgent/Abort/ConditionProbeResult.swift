import LinuxHost
import OneShotNetwork
import StressCore

/// What one look saw (`ConditionEvaluation` without its instant).
struct ConditionProbeResult: Sendable {
    var value: Double?
    var passed: Bool
    var detail: String

    static func failed(_ detail: String) -> ConditionProbeResult {
        ConditionProbeResult(value: nil, passed: false, detail: detail)
    }
}

extension ConditionProbeResult {
    /// A network check with no answer: a refusal or a reset says so; a
    /// wait cut at the latency bound is a slow answer (the time waited is
    /// its value, a lower bound of the latency): the probe stops waiting
    /// there, since any later answer fails anyway, so a slow service is
    /// seen one latency bound after the look started, not one timeout.
    init(notAnsweredBy target: String, error: NetworkFailure, latency: Duration?, timeout: Duration, since started: UInt64) {
        let waited = Double(MonotonicClock.now() &- started) / 1e6
        if case .timedOut = error, let latency, latency < timeout {
            self.init(value: waited, passed: false, detail: "\(target) gave no answer within \(latency.humanReadable): slower than \(latency.humanReadable)")
        } else {
            self.init(value: nil, passed: false, detail: "\(target) did not answer: \(error)")
        }
    }
}
