import LinuxHost
import OneShotNetwork
import StressCore

/// A connection to the address, closed at once; the time it took.
extension TCPCheck: ConditionProbe {
    func observe(on host: ProbeHost) async -> ConditionProbeResult {
        let started = MonotonicClock.now()
        do {
            try await TCPConnect.probe(host: self.host, port: port, timeout: wait)
        } catch {
            return ConditionProbeResult(notAnsweredBy: address, error: error, latency: latency, timeout: timeout, since: started)
        }
        let milliseconds = Double(MonotonicClock.now() &- started) / 1e6
        let accepted = "accepted a connection in \(milliseconds.fixed(1)) ms"
        if let latency, milliseconds > latency.seconds * 1e3 {
            return ConditionProbeResult(value: milliseconds, passed: false, detail: "\(accepted), slower than \(latency.humanReadable)")
        }
        return ConditionProbeResult(value: milliseconds, passed: true, detail: accepted)
    }
}
