/// How long a network probe (http, tcp, prometheus) waits for its answer,
/// and the latency bounds a check may set: from 1 ms to 30 s, so a probe
/// that hangs costs the watch at most that before it counts as a miss.
public enum ProbeTimeout {
    public static let `default` = Duration.seconds(1)
    public static let maximum = Duration.seconds(30)

    /// nil when `text` is; otherwise a duration from 1 ms to `maximum`.
    static func parse(_ text: String?, field: String) throws(InputError) -> Duration? {
        guard let text else { return nil }
        let duration = try Duration.parse(text, field: field)
        guard duration >= .milliseconds(1), duration <= maximum else {
            throw .outOfRange(field: field, value: text, allowed: "1ms to \(maximum.humanReadable)")
        }
        return duration
    }
}
