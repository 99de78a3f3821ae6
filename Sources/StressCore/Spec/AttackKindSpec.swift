/// Everything one attack kind's parameters are, in one conformance per kind
/// (`CPUSpec`, `MemorySpec`, `DiskSpec`, `KillSpec`, `PauseSpec`): their
/// names, how they read from and write to the flat form the CLI, the API
/// and the ledger share, how they are checked, how long the attack lasts by
/// default, and how it reads to a person. `AttackKind.specType` and
/// `AttackSpec.Parameters.kindSpec` are the only switches over kinds in this
/// layer, so a new kind is a new conformance and two new cases the compiler
/// asks for. The engine's half of a kind is `AttackKindEngine` (StressAgent).
public protocol AttackKindSpec: Hashable, Sendable {
    static var kind: AttackKind { get }
    /// The names its own parameters go by (`load`, `size`, `path`...),
    /// beside `duration` and `labels`, which every kind takes.
    static var parameterNames: Set<String> { get }
    /// How long an attack of this kind lasts when the command line does not
    /// say (the API always asks for a duration).
    static var defaultDuration: Duration { get }
    /// The floor of the safety policy a request may raise for this kind
    /// with `floor`; nil: the kind takes no `floor`.
    static var raisableFloor: PolicyFloor? { get }
    /// Whether a request may lower the load-average cap (`max-load-avg`).
    static var lowersLoadAverageCap: Bool { get }

    /// Reads its parameters from the flat form; names it does not know were
    /// refused before.
    init(parameters: FlatParameters) throws(InputError)
    /// Writes them back as the CLI would spell them: the inverse of `init`.
    func write(to flat: inout FlatParameters)
    /// Checks it against the host and the policy before anything is created.
    func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError)
    /// What the attack is about to do, in one line, for a person.
    func summary(duration: Duration, host: HostLimits) -> String
    /// What it would take from the host now: workers, memory, disk (a plan).
    func footprint(host: HostLimits) -> AttackFootprint
    /// This value as the spec's enum case.
    var parameters: AttackSpec.Parameters { get }
}

/// The floors a request can raise above the operator's (`StricterPolicy`).
public enum PolicyFloor: Hashable, Sendable {
    /// MemAvailable's floor (`SafetyPolicy.memoryFloor`).
    case memory
    /// The free space a file system keeps (`SafetyPolicy.diskFloor`).
    case disk
}

extension AttackKind {
    /// The conformance that describes this kind's parameters.
    public var specType: any AttackKindSpec.Type {
        switch self {
        case .cpu: CPUSpec.self
        case .mem: MemorySpec.self
        case .disk: DiskSpec.self
        case .kill: KillSpec.self
        case .pause: PauseSpec.self
        case .io: IOSpec.self
        }
    }
}
