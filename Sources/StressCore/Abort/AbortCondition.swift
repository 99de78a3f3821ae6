/// Something about the service under test that must hold while an attack
/// runs: a URL answers, a port accepts, pressure stays low, a service keeps
/// its processes, a PromQL query stays in range. It is checked once before
/// the attack (a system not in its steady state is not attacked) and then
/// every `interval`; `misses` failed checks in a row stop the attack
/// (outcome `aborted`). One per `--abort-unless` flag, one per object in
/// the API's `abort-unless` list, one per line in the config's
/// `policy.abort-unless`; all three read through `init(parameters:)`.
public struct AbortCondition: Hashable, Sendable {
    public enum Check: Hashable, Sendable {
        case http(HTTPCheck)
        case tcp(TCPCheck)
        case pressure(PressureCheck)
        case process(ProcessCheck)
        case prometheus(PrometheusCheck)
    }

    /// The CLI flag, the API's list and the config key.
    public static let field = "abort-unless"
    public static let defaultInterval = Duration.seconds(1)
    /// Ten checks a second at most: the agent is on the host, but a probe
    /// still costs the service under test a request.
    public static let minimumInterval = Duration.milliseconds(100)
    public static let maximumInterval = Duration.seconds(60)
    public static let maximumMisses = 100
    /// A request's own conditions, at most: each is a probe loop in the agent.
    public static let maximumPerAttack = 16
    /// The names every condition takes beside its check's.
    static let commonNames: Set<String> = ["check", "every", "misses"]

    public var check: Check
    /// How often it is checked while the attack runs.
    public var interval: Duration
    /// Failed checks in a row that stop the attack (1: the first one).
    public var misses: Int
    /// Who set it; not part of its flat form.
    public var source: Source = .request

    /// The operator's conditions hold for every attack on the host; a
    /// request may add its own, never remove the operator's.
    public enum Source: String, Codable, Hashable, Sendable {
        case policy, request
    }

    public init(_ check: Check, interval: Duration = Self.defaultInterval, misses: Int = 1) {
        self.check = check
        self.interval = interval
        self.misses = misses
    }

    /// Reads a condition from its flat form: `check` names the kind, the
    /// rest are that kind's parameters and `every` and `misses`. Errors
    /// name the field as `abort-unless http status`.
    public init(parameters flat: FlatParameters) throws(InputError) {
        var flat = flat
        guard let word = flat.remove("check") else {
            throw .rejected(field: Self.field, reason: "a condition needs a check: one of \(Self.checkWords)")
        }
        guard let type = Check.types.first(where: { $0.word == word }) else {
            throw .malformed(field: Self.field, value: word, expected: "one of \(Self.checkWords)")
        }
        do throws(InputError) {
            let every = try flat.remove("every").map { text throws(InputError) in try Duration.parse(text, field: "every") }
            let misses = try flat.remove("misses").map(Self.parseMisses) ?? 1
            try flat.rejectUnknown(allowed: type.parameterNames, of: "the \(word) check")
            self.init(try type.init(parameters: flat).check, interval: every ?? Self.defaultInterval, misses: misses)
            guard interval >= Self.minimumInterval, interval <= Self.maximumInterval else {
                throw InputError.outOfRange(
                    field: "every", value: interval.humanReadable,
                    allowed: "\(Self.minimumInterval.humanReadable) to \(Self.maximumInterval.humanReadable)")
            }
        } catch {
            throw error.naming(condition: word)
        }
    }

    /// The flat form: `init(parameters:)` reads it back to an equal value.
    public var parameters: FlatParameters {
        var flat = FlatParameters()
        flat["check"] = check.word
        check.conditionCheck.write(to: &flat)
        if interval != Self.defaultInterval { flat["every"] = interval.humanReadable }
        if misses != 1 { flat["misses"] = String(misses) }
        return flat
    }

    /// `http, tcp, pressure, process, prometheus`, for errors.
    static var checkWords: String { Check.types.map { $0.word }.joined(separator: ", ") }

    private static func parseMisses(_ text: String) throws(InputError) -> Int {
        guard let count = Int(decimalDigits: text), (1...maximumMisses).contains(count) else {
            throw .outOfRange(field: "misses", value: text, allowed: "a whole number from 1 to \(maximumMisses)")
        }
        return count
    }
}
