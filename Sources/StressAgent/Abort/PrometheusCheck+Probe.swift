import FoundationEssentials
import OneShotNetwork
import StressCore

/// An instant query (`GET /api/v1/query?query=…`); every sample of the
/// answer must lie in the range. The answer's JSON (Prometheus HTTP API):
/// ```
/// {"status":"success","data":{"resultType":"vector",
///  "result":[{"metric":{"job":"web"},"value":[1733140000.1,"0.5"]}]}}
/// ```
/// `scalar` results carry one `[time, "value"]` pair instead.
/// https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
extension PrometheusCheck: ConditionProbe {
    /// A query's answer is small; one larger than this is refused.
    static let maxAnswerBytes = 1 << 20

    func observe(on host: ProbeHost) async -> ConditionProbeResult {
        let request: OneShotHTTP.Request
        switch host.get(server, target: server.target + "/api/v1/query?query=" + Self.encoded(query), headers: [("Accept", "application/json")]) {
        case .success(let made): request = made
        case .failure(let error): return .failed(error.reason)
        }
        let response: OneShotHTTP.Response
        do {
            response = try await OneShotHTTP.send(request, timeout: timeout, maxResponseBytes: Self.maxAnswerBytes)
        } catch {
            return .failed("Prometheus at \(server) did not answer: \(error)")
        }
        let samples: [Double]
        do {
            samples = try PrometheusAnswer(status: response.status, body: response.body).samples
        } catch {
            return .failed("Prometheus at \(server): \(error.reason)")
        }
        guard let first = samples.first else {
            return .failed("the query returned no sample")
        }
        let outside = samples.first { !allows($0) }
        let seen = samples.count == 1 ? "the query returned \(first)" : "the query returned \(samples.count) samples"
        if let outside {
            return ConditionProbeResult(value: outside, passed: false, detail: "\(seen); \(outside) is outside \(range)")
        }
        return ConditionProbeResult(value: first, passed: true, detail: seen)
    }

    private var range: String {
        "[\(minimum.map(Self.text) ?? "-inf"), \(maximum.map(Self.text) ?? "+inf")]"
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    static func encoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            }
        }
        return result
    }
}
