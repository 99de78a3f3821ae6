/// How much a running attack asked for and achieves now, as a number in
/// its kind's unit: what `/metrics` exports per attack
/// (`stressd_attack_requested`, `stressd_attack_achieved`) and the API
/// gives beside the progress line.
public struct AttackLevel: Codable, Hashable, Sendable {
    /// `cores` (cpu), `bytes` (mem held, disk filled), `bytes_per_second`
    /// (io), `processes` (kill and pause: hit so far).
    public var unit: String
    /// nil when nothing was asked in numbers (io as fast as the device
    /// goes, kill and pause).
    public var requested: Double?
    public var achieved: Double

    public init(unit: String, requested: Double?, achieved: Double) {
        self.unit = unit
        self.requested = requested
        self.achieved = achieved
    }
}
