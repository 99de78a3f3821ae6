import LinuxHost
import NIOSSL
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
