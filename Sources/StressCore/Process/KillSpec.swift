/// What a kill attack does: send `signal` to the processes `targets` picks,
/// once or again every `interval` (chaos-monkey style), then watch for
/// comebacks for the rest of the duration.
public struct KillSpec: Hashable, Sendable {
    public var targets: ProcessSpec
    public var signal: ProcessSignal
    /// Kill again every interval for the duration; nil: once.
    public var interval: Duration?

    public init(targets: ProcessSpec, signal: ProcessSignal = .kill, interval: Duration? = nil) {
        self.targets = targets
        self.signal = signal
        self.interval = interval
    }
}

extension KillSpec: AttackKindSpec {
    public static let kind = AttackKind.kill
    /// Long enough to see a killed service come back.
    public static let defaultDuration: Duration = .seconds(10)
    public static let raisableFloor: PolicyFloor? = nil
    public static let lowersLoadAverageCap = false
    public static let parameterNames = ProcessSpec.parameterNames.union(["signal", "interval"])

    public init(parameters flat: FlatParameters) throws(InputError) {
        self.init(
            targets: try ProcessSpec(parameters: flat),
            signal: try flat["signal"].map { text throws(InputError) in try ProcessSignal(parsing: text) } ?? .kill,
            interval: try flat["interval"].map { text throws(InputError) in try Duration.parse(text, field: "interval") })
    }

    public func write(to flat: inout FlatParameters) {
        targets.write(to: &flat)
        flat["signal"] = String(signal.number)
        flat["interval"] = interval?.humanReadable
    }

    public func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError) {
        try targets.validate()
        try signal.validate()
        if let interval {
            guard interval >= .milliseconds(100) else {
                throw .outOfRange(field: "interval", value: interval.humanReadable, allowed: "at least 100ms")
            }
            guard interval <= duration else {
                throw .rejected(field: "interval", reason: "the interval \(interval.humanReadable) is longer than the duration \(duration.humanReadable)")
            }
        }
    }

    public func summary(duration: Duration, host: HostLimits) -> String {
        let every = interval.map { " every \($0.humanReadable)" } ?? ""
        return "\(signal) to \(targets.pick) matching \(targets.selector)\(every); "
            + "watching for comebacks for up to \(duration.humanReadable)"
    }

    /// The supervisor signals the targets itself: no worker, no bytes.
    public func footprint(host: HostLimits) -> AttackFootprint { AttackFootprint(workers: 0) }

    public var parameters: AttackSpec.Parameters { .kill(self) }
}
