/// How many cores a CPU attack burns: a number, or `all` of what stressd may
/// use (the online CPUs, or fewer when a cgroup CPU quota applies), or one
/// worker pinned to each CPU of a list (`--cpus 0,2-3`).
public enum CoreSelection: Hashable, Sendable, CustomStringConvertible {
    case all
    case count(Int)
    case pinned(CPUList)

    public init(parsing text: String) throws(InputError) {
        let body = text.trimmingWhitespace().lowercased()
        if body == "all" {
            self = .all
            return
        }
        guard let count = Int(body) else {
            throw .malformed(field: "cores", value: text, expected: "a whole number of cores, or 'all'")
        }
        guard count >= 1 else {
            throw .outOfRange(field: "cores", value: text, allowed: "at least 1 core")
        }
        self = .count(count)
    }

    public var description: String {
        switch self {
        case .all: return "all"
        case .count(let count): return String(count)
        case .pinned(let list): return "CPUs \(list)"
        }
    }
}
