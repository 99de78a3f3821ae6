/// `pressure cpu|memory|io some=P|full=P [unit=NAME | cgroup=PATH]`: the
/// pressure stall average over 10 s (PSI avg10, in percent) of a resource
/// stays at or under P: the host's (/proc/pressure), or a systemd unit's or
/// cgroup's own (its `*.pressure` file in the cgroup2 tree), which says
/// whether *the service* is stalled, not just the host.
public struct PressureCheck: ConditionCheck {
    public static let word = "pressure"
    public static let positionalNames = ["resource"]
    public static let parameterNames: Set<String> = ["resource", "some", "full", "unit", "cgroup"]
    public static let unit = "%"

    public enum Resource: String, Hashable, Sendable, CaseIterable {
        case cpu, memory, io
    }

    /// `some`: at least one task stalled; `full`: all of them at once.
    public enum Line: String, Hashable, Sendable {
        case some, full
    }

    /// Whose pressure: the host's, or one cgroup's.
    public enum Scope: Hashable, Sendable {
        case host
        /// A systemd unit's cgroup, found by name in the cgroup2 tree.
        case unit(String)
        /// A cgroup path as /proc/PID/cgroup shows it.
        case cgroup(String)
    }

    public var resource: Resource
    public var line: Line
    /// The highest avg10 that passes, in percent.
    public var ceiling: Percentage
    public var scope: Scope

    public init(resource: Resource, line: Line, ceiling: Percentage, scope: Scope = .host) {
        self.resource = resource
        self.line = line
        self.ceiling = ceiling
        self.scope = scope
    }

    public init(parameters flat: FlatParameters) throws(InputError) {
        guard let name = flat["resource"], let resource = Resource(rawValue: name) else {
            throw .malformed(field: "resource", value: flat["resource"] ?? "", expected: "cpu, memory or io")
        }
        let lines = [Line.some, .full].compactMap { line in flat[line.rawValue].map { (line, $0) } }
        guard lines.count == 1, let (line, text) = lines.first else {
            throw .rejected(field: "some", reason: "give exactly one ceiling: some=P (a task stalled) or full=P (all stalled), such as full=10%")
        }
        let ceiling = try Percentage(parsing: text, field: line.rawValue)
        guard ceiling.percent >= 0, ceiling.percent < 100 else {
            throw .outOfRange(field: line.rawValue, value: text, allowed: "0% up to, not including, 100%")
        }
        if line == .full, resource == .cpu {
            // Full CPU pressure is only defined for cgroups; for the host it is 0.
            guard flat["unit"] != nil || flat["cgroup"] != nil else {
                throw .rejected(field: "full", reason: "the host's cpu pressure has no meaningful full line; use some=P, or full=P with unit= or cgroup=")
            }
        }
        self.init(resource: resource, line: line, ceiling: ceiling, scope: try Self.parseScope(flat))
    }

    public func write(to flat: inout FlatParameters) {
        flat["resource"] = resource.rawValue
        flat[line.rawValue] = ceiling.wireValue
        switch scope {
        case .host: break
        case .unit(let unit): flat["unit"] = unit
        case .cgroup(let path): flat["cgroup"] = path
        }
    }

    public var check: AbortCondition.Check { .pressure(self) }

    /// A unit name without `/`; a cgroup path from `/` with no `.` or `..`
    /// step, so it cannot climb out of the cgroup tree it is looked up in.
    private static func parseScope(_ flat: FlatParameters) throws(InputError) -> Scope {
        switch (flat["unit"], flat["cgroup"]) {
        case (nil, nil):
            return .host
        case (let unit?, nil):
            try ProcessSelector.unit(unit).validate()
            return .unit(unit)
        case (nil, let path?):
            try ProcessSelector.cgroup(path).validate()
            guard !path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
                throw .malformed(field: "cgroup", value: path, expected: "a cgroup path without . or .. steps, such as /system.slice/app.service")
            }
            return .cgroup(path)
        case (.some, .some):
            throw .rejected(field: "unit", reason: "give unit= or cgroup=, not both")
        }
    }
}
