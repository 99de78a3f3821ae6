/// Which processes a kill or pause attack aims at.
public enum ProcessSelector: Hashable, Sendable, CustomStringConvertible {
    /// Exact `comm`, as `pgrep -x` matches it.
    case name(String)
    /// A regular expression searched in the command line, compiled when the
    /// spec is read (see `CommandLinePattern` for why it is not a `Regex`).
    case match(CommandLinePattern)
    case pid(Int32)
    /// The processes of a systemd unit, found by its cgroup.
    case unit(String)
    /// The processes in a cgroup (a path as /proc/PID/cgroup shows it) and below.
    case cgroup(String)

    /// Checks what can be checked before looking at the host: the name's
    /// length, the unit and cgroup names are plausible (a `match` pattern
    /// was checked when it compiled).
    public func validate() throws(InputError) {
        switch self {
        case .name(let name):
            guard !name.isEmpty, name.count <= 15 else {
                throw .outOfRange(field: "name", value: name, allowed: "1 to 15 characters, as the kernel keeps a process name (use --match for longer)")
            }
        case .match:
            break
        case .pid(let pid):
            guard pid > 0 else { throw .outOfRange(field: "pid", value: String(pid), allowed: "a pid above 0") }
        case .unit(let unit):
            guard unit.contains("."), !unit.contains("/") else {
                throw .malformed(field: "unit", value: unit, expected: "a unit name such as postgresql.service")
            }
        case .cgroup(let path):
            guard path.hasPrefix("/") else {
                throw .malformed(field: "cgroup", value: path, expected: "a cgroup path as /proc/PID/cgroup shows it, such as /system.slice/app.service")
            }
        }
    }

    public func matches(_ candidate: ProcessCandidate) -> Bool {
        switch self {
        case .name(let name):
            return candidate.command == name
        case .match(let pattern):
            return !candidate.commandLine.isEmpty && pattern.matches(candidate.commandLine)
        case .pid(let pid):
            return candidate.pid == pid
        case .unit(let unit):
            return candidate.cgroup.split(separator: "/").contains { $0 == unit }
        case .cgroup(let path):
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            return candidate.cgroup == trimmed || candidate.cgroup.hasPrefix(trimmed == "/" ? "/" : trimmed + "/")
        }
    }

    public var description: String {
        switch self {
        case .name(let name): return "--name \(name)"
        case .match(let pattern): return "--match '\(pattern)'"
        case .pid(let pid): return "--pid \(pid)"
        case .unit(let unit): return "--unit \(unit)"
        case .cgroup(let path): return "--cgroup \(path)"
        }
    }
}
