import LinuxHost
import OneShotNetwork
import StressCore

/// A GET of the URL; the status and the time to the answer's head.
extension HTTPCheck: ConditionProbe {
    func observe(on host: ProbeHost) async -> ConditionProbeResult {
        let request: OneShotHTTP.Request
        switch host.get(url, target: url.target) {
        case .success(let made): request = made
        case .failure(let error): return .failed(error.reason)
        }
        let started = MonotonicClock.now()
        let response: OneShotHTTP.Response
        do {
            response = try await OneShotHTTP.send(request, timeout: wait, maxResponseBytes: 0, readBody: false)
        } catch {
            return ConditionProbeResult(notAnsweredBy: url.description, error: error, latency: latency, timeout: timeout, since: started)
        }
        let milliseconds = Double(MonotonicClock.now() &- started) / 1e6
        let answered = "answered \(response.status) in \(milliseconds.fixed(1)) ms"
        guard status.contains(response.status) else {
            return ConditionProbeResult(value: milliseconds, passed: false, detail: "\(answered), not \(statusText)")
        }
        if let latency, milliseconds > latency.seconds * 1e3 {
            return ConditionProbeResult(value: milliseconds, passed: false, detail: "\(answered), slower than \(latency.humanReadable)")
        }
        return ConditionProbeResult(value: milliseconds, passed: true, detail: answered)
    }

    private var statusText: String {
        status.count == 1 ? "\(status.lowerBound)" : "\(status.lowerBound)-\(status.upperBound)"
    }
}
