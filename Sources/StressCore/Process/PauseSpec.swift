/// What a pause attack does: stop the processes `targets` picks (SIGSTOP)
/// for the duration and resume them (SIGCONT). No signal of its own to
/// choose: a pause that sent anything else could not be undone.
public struct PauseSpec: Hashable, Sendable {
    public var targets: ProcessSpec

    public init(targets: ProcessSpec) {
        self.targets = targets
    }
}

extension PauseSpec: AttackKindSpec {
    public static let kind = AttackKind.pause
    /// Long enough for a service's peers to notice one that stopped answering.
    public static let defaultDuration: Duration = .seconds(30)
    public static let raisableFloor: PolicyFloor? = nil
    public static let lowersLoadAverageCap = false
    public static let parameterNames = ProcessSpec.parameterNames

    public init(parameters flat: FlatParameters) throws(InputError) {
        self.init(targets: try ProcessSpec(parameters: flat))
    }

    public func write(to flat: inout FlatParameters) {
        targets.write(to: &flat)
    }

    public func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError) {
        try targets.validate()
    }

    public func summary(duration: Duration, host: HostLimits) -> String {
        "pause \(targets.pick) matching \(targets.selector) for \(duration.humanReadable)"
    }

    /// The supervisor stops the targets itself: no worker, no bytes.
    public func footprint(host: HostLimits) -> AttackFootprint { AttackFootprint(workers: 0) }

    public var parameters: AttackSpec.Parameters { .pause(self) }
}
