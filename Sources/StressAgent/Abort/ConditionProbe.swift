import LinuxHost
import NIOSSL
import OneShotNetwork
import StressCore
import Synchronization

/// How one kind of abort condition is evaluated on this host (the agent's
/// half of `ConditionCheck`): one look, returning what was measured and
/// whether it passed. A probe never throws: a target it cannot reach, a
/// file it cannot read, is a failed check with the reason in its detail,
/// since a condition that cannot be seen to hold must stop the attack.
protocol ConditionProbe: Sendable {
    func observe(on host: ProbeHost) async -> ConditionProbeResult
}

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

/// What probes reach the host through: its /proc and cgroup roots, and the
/// TLS settings of https checks (the system's trust store, loaded on the
/// first https check and kept).
final class ProbeHost: Sendable {
    let procFS: ProcFS
    let cgroupFS: CgroupFS
    private let context = Mutex<Result<NIOSSLContext, TLSUnavailable>?>(nil)

    /// Why an https check cannot be made, as its failed evaluation says.
    struct TLSUnavailable: Error {
        let reason: String
    }

    init(procFS: ProcFS = ProcFS(), cgroupFS: CgroupFS = CgroupFS()) {
        self.procFS = procFS
        self.cgroupFS = cgroupFS
    }

    var tls: Result<NIOSSLContext, TLSUnavailable> {
        context.withLock { context in
            if let context { return context }
            let made = Result { () throws(TLSUnavailable) -> NIOSSLContext in
                do {
                    return try NIOSSLContext(configuration: .makeClientConfiguration())
                } catch {
                    throw TLSUnavailable(reason: "cannot set up TLS: \(error)")
                }
            }
            context = made
            return made
        }
    }
}

extension AbortCondition.Check {
    /// The probe of this kind of check: the one switch over kinds in this layer.
    var probe: any ConditionProbe {
        switch self {
        case .http(let check): check
        case .tcp(let check): check
        case .pressure(let check): check
        case .process(let check): check
        case .prometheus(let check): check
        }
    }
}
