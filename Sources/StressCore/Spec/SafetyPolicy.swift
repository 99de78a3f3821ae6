/// The operator's limits on any attack. Validation refuses a spec that breaks
/// them; later the guards enforce them while an attack runs. Defaults are what
/// a cautious operator would accept on a production host.
public struct SafetyPolicy: Hashable, Sendable {
    /// No attack runs longer than this, whatever it asks for.
    public var maxDuration: Duration

    public init(maxDuration: Duration = .seconds(3600)) {
        self.maxDuration = maxDuration
    }

    public static let `default` = SafetyPolicy()
}
