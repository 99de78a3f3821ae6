/// One guard an attack would be held to, beside the host now: for a floor
/// (memory, free space), what the attack would leave and the margin above
/// the floor; for a cap (load average, I/O pressure), the reading now and
/// the room below the cap. A negative margin means the attack would cross
/// it (validation refuses a size that would).
public struct PlannedFloor: Codable, Hashable, Sendable {
    /// The guard's name, as a trip reports it: `memory-floor`, `disk-floor`,
    /// `load-average`, `io-pressure`.
    public var name: String
    /// What it watches, for a person: `memory available`, `free space on /data`.
    public var watches: String
    /// `bytes`, `` (a load average) or `%`.
    public var unit: String
    /// The floor or the cap.
    public var limit: Double
    /// The host's reading now; nil when it could not be read.
    public var now: Double?
    /// Floors: what the attack would leave (now minus what it takes).
    public var afterAttack: Double?
    /// Floors: `afterAttack - limit`; caps: `limit - now`.
    public var margin: Double?

    public init(name: String, watches: String, unit: String, limit: Double, now: Double?, afterAttack: Double? = nil) {
        self.name = name
        self.watches = watches
        self.unit = unit
        self.limit = limit
        self.now = now
        self.afterAttack = afterAttack
        if let afterAttack {
            margin = afterAttack - limit
        } else {
            margin = now.map { limit - $0 }
        }
    }
}
