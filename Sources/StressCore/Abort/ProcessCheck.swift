/// `process name=NAME|match=RE|pid=N|unit=U|cgroup=PATH [min=N]`: at least N
/// processes (default 1) match the selector, as `kill` and `pause` choose
/// them: the service survived what the attack does to the host.
public struct ProcessCheck: ConditionCheck {
    public static let word = "process"
    public static let positionalNames = ["name"]
    public static let parameterNames: Set<String> = ["name", "match", "pid", "unit", "cgroup", "min"]
    public static let unit = "processes"

    public var selector: ProcessSelector
    public var minimum: Int

    public init(selector: ProcessSelector, minimum: Int = 1) {
        self.selector = selector
        self.minimum = minimum
    }

    public init(parameters flat: FlatParameters) throws(InputError) {
        let selector = try ProcessSelector(parameters: flat)
        try selector.validate()
        let minimum = try flat["min"].map { text throws(InputError) -> Int in
            guard let count = Int(decimalDigits: text), count >= 1 else {
                throw .outOfRange(field: "min", value: text, allowed: "a whole number of at least 1")
            }
            return count
        }
        self.init(selector: selector, minimum: minimum ?? 1)
    }

    public func write(to flat: inout FlatParameters) {
        selector.write(to: &flat)
        if minimum != 1 { flat["min"] = String(minimum) }
    }

    public var check: AbortCondition.Check { .process(self) }
}
