/// What one kind of abort condition looks at (`HTTPCheck`, `TCPCheck`,
/// `PressureCheck`, `ProcessCheck`, `PrometheusCheck`): its parameter names,
/// how it reads from and writes to the flat form that the CLI's one-line
/// syntax and the API's JSON objects share, and how it reads to a person.
/// The agent's half, the probe that evaluates it, is `ConditionProbe`
/// (StressAgent); `AbortCondition.Check.conditionCheck` is the one switch.
public protocol ConditionCheck: Hashable, Sendable {
    /// The word a condition starts with (`http`), its `check` in JSON.
    static var word: String { get }
    /// The parameters that bare words after `word` fill, in order
    /// (`http URL` is `http url=URL`).
    static var positionalNames: [String] { get }
    /// Every parameter of its own, the positional ones included, beside
    /// `every` and `misses` that every condition takes.
    static var parameterNames: Set<String> { get }
    /// What its evaluations measure, for reports and charts (`ms`, `%`).
    static var unit: String { get }

    init(parameters: FlatParameters) throws(InputError)
    /// The inverse of `init`, spelled as a person would type it.
    func write(to flat: inout FlatParameters)
    /// This value as the condition's enum case.
    var check: AbortCondition.Check { get }
}

extension AbortCondition.Check {
    /// Every kind of check, for parsing and for `--help`.
    public static let types: [any ConditionCheck.Type] = [
        HTTPCheck.self, TCPCheck.self, PressureCheck.self, ProcessCheck.self, PrometheusCheck.self,
    ]

    /// The kind's own conformance, which knows everything else.
    public var conditionCheck: any ConditionCheck {
        switch self {
        case .http(let check): check
        case .tcp(let check): check
        case .pressure(let check): check
        case .process(let check): check
        case .prometheus(let check): check
        }
    }

    public var word: String { type(of: conditionCheck).word }
}
