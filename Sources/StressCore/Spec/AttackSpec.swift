/// One attack as the user asked for it: what to do and for how long. The CLI
/// builds it from flags, the ledger stores it, and the HTTP API will decode
/// it from the same flat JSON (`{"kind": "cpu", "load": "80%", "cores": 2,
/// "duration": "30s"}`), so every parameter has one spelling and one parser.
public struct AttackSpec: Hashable, Sendable {
    /// The kind-specific part.
    public enum Parameters: Hashable, Sendable {
        case cpu(CPUSpec)
        case mem(MemorySpec)
        case disk(DiskSpec)
        case kill(KillSpec)
        case pause(PauseSpec)
        case io(IOSpec)

        /// The kind's own conformance, which knows everything else.
        public var kindSpec: any AttackKindSpec {
            switch self {
            case .cpu(let cpu): cpu
            case .mem(let memory): memory
            case .disk(let disk): disk
            case .kill(let kill): kill
            case .pause(let pause): pause
            case .io(let io): io
            }
        }

        public var kind: AttackKind { type(of: kindSpec).kind }
    }

    public var parameters: Parameters
    /// The time box. Every attack has one; there is no "until stopped".
    public var duration: Duration
    /// Who started it, for scoped lists and stops (`AttackLabels`).
    public var labels: AttackLabels

    public init(_ parameters: Parameters, duration: Duration, labels: AttackLabels = AttackLabels()) {
        self.parameters = parameters
        self.duration = duration
        self.labels = labels
    }

    public var kind: AttackKind { parameters.kind }

    /// Checks the spec against the host and the safety policy before anything
    /// is created. Whatever this accepts, the supervisor can start.
    public func validate(host: HostLimits, policy: SafetyPolicy) throws(InputError) {
        guard duration > .zero else {
            throw .outOfRange(field: "duration", value: duration.humanReadable, allowed: "longer than 0s")
        }
        guard duration <= policy.maxDuration else {
            throw .outOfRange(
                field: "duration", value: duration.humanReadable,
                allowed: "at most \(policy.maxDuration.humanReadable) (the safety policy's maximum; raise it with --max-duration)")
        }
        try parameters.kindSpec.validate(host: host, policy: policy, duration: duration)
    }

    /// What the attack is about to do, in one line, for a person.
    public func summary(host: HostLimits) -> String {
        parameters.kindSpec.summary(duration: duration, host: host)
    }
}
