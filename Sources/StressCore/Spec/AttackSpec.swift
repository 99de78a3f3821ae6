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
        case kill(ProcessSpec)
        case pause(ProcessSpec)

        public var kind: AttackKind {
            switch self {
            case .cpu: return .cpu
            case .mem: return .mem
            case .disk: return .disk
            case .kill: return .kill
            case .pause: return .pause
            }
        }
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
        switch parameters {
        case .cpu(let cpu):
            try cpu.validate(capacity: host.cpu)
        case .mem(let memory):
            try memory.validate(memory: host.memory, policy: policy)
        case .disk(let disk):
            try disk.validate(disk: host.disk, policy: policy)
        case .kill(let process), .pause(let process):
            try process.validate(duration: duration)
        }
    }
}
