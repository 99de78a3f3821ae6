/// What one attack asks of the safety policy on top of the operator's: a
/// higher floor (memory for `mem`, free space for `disk`), a lower cap on the
/// load average (`cpu`), abort conditions of its own (added to the
/// operator's, which it cannot remove). Only ever stricter: an orchestrator may narrow one
/// experiment's blast radius, never widen the operator's, so asking for less
/// than the operator's policy is refused rather than quietly ignored.
public struct StricterPolicy: Hashable, Sendable {
    /// For `mem`, MemAvailable's floor; for `disk`, the file system's.
    public var floor: SizeOrShare?
    public var maxLoadAverage: Double?
    public var abortConditions: [AbortCondition]

    public init(floor: SizeOrShare? = nil, maxLoadAverage: Double? = nil, abortConditions: [AbortCondition] = []) {
        self.floor = floor
        self.maxLoadAverage = maxLoadAverage
        self.abortConditions = abortConditions
    }

    /// The request parameters each kind takes, beside its spec's.
    public static func parameterNames(of kind: AttackKind) -> Set<String> {
        var names: Set<String> = []
        if kind.specType.raisableFloor != nil { names.insert("floor") }
        if kind.specType.lowersLoadAverageCap { names.insert("max-load-avg") }
        return names
    }

    /// Takes `floor` and `max-load-avg` out of a request, leaving the spec's
    /// parameters; a name this kind does not take stays, for the spec's
    /// parser to refuse as unknown.
    public init(kind: AttackKind, taking flat: inout FlatParameters) throws(InputError) {
        let names = Self.parameterNames(of: kind)
        if names.contains("floor"), let text = flat.remove("floor") {
            floor = try SizeOrShare(parsing: text, field: "floor")
        }
        if names.contains("max-load-avg"), let text = flat.remove("max-load-avg") {
            maxLoadAverage = try Self.parseLoadAverage(text)
        }
        abortConditions = []
    }

    /// `4` or `2.5`: a 1-minute load average above 0 (not inf or nan, a cap
    /// that could never trip).
    public static func parseLoadAverage(_ text: String) throws(InputError) -> Double {
        guard let value = Double(finite: text), value > 0 else {
            throw .malformed(field: "max-load-avg", value: text, expected: "a load average above 0, such as 4 or 2.5")
        }
        return value
    }

    /// The request as parameters, for a client to send.
    public func write(to flat: inout FlatParameters) {
        flat["floor"] = floor?.wireValue
        flat["max-load-avg"] = maxLoadAverage.map { String($0) }
    }

    /// `policy` with this request's limits in force for an attack of `kind`
    /// on `host`. Floors are compared in bytes as the host is now.
    /// - Throws: `InputError.outOfRange` when the request would loosen the policy.
    public func applied(to policy: SafetyPolicy, kind: AttackKind, host: HostLimits) throws(InputError) -> SafetyPolicy {
        var stricter = policy
        if let floor, let raised = kind.specType.raisableFloor {
            switch raised {
            case .memory:
                let limit = host.memory.limit
                try Self.refuseBelow(floor, floor.bytes(of: limit), policy.memoryFloorBytes(limit: limit), whose: "memory")
                stricter.memoryFloor = floor
            case .disk:
                let size = host.disk?.sizeBytes ?? 0
                try Self.refuseBelow(floor, floor.bytes(of: size), policy.diskFloorBytes(size: size), whose: "disk")
                stricter.diskFloor = floor
            }
        }
        if let maxLoadAverage {
            if let operators = policy.maxLoadAverage, maxLoadAverage > operators {
                throw .outOfRange(
                    field: "max-load-avg", value: String(maxLoadAverage),
                    allowed: "at most the agent's own \(operators): a request may only lower it")
            }
            stricter.maxLoadAverage = maxLoadAverage
        }
        stricter.abortConditions = policy.abortConditions + abortConditions
        return stricter
    }

    private static func refuseBelow(_ floor: SizeOrShare, _ bytes: UInt64, _ operators: UInt64, whose: String) throws(InputError) {
        guard bytes >= operators else {
            throw .outOfRange(
                field: "floor", value: floor.description,
                allowed: "at least the agent's own \(whose) floor, \(ByteCount(bytes: operators)) here: a request may only raise it")
        }
    }
}
