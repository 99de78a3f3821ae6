/// CPU numbers in the list format Linux writes and `taskset -c` reads
/// (`0,2-3`; cpuset(7)): what `cpu --cpus` pins workers to, and the CPUs a
/// process may run on (its affinity mask).
public struct CPUList: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Sorted, each once.
    public let cpus: [Int]

    /// CPU numbers stop here: the kernel's largest NR_CPUS is 8192.
    public static let limit = 8192

    public init(_ cpus: some Sequence<Int>) {
        self.cpus = Array(Set(cpus)).sorted()
    }

    public init(parsing text: String, field: String = "cpus") throws(InputError) {
        let expected = "CPU numbers and ranges such as 0,2-3 (as taskset -c takes them)"
        // A bitmap, not an array of numbers: `0-8191` given a thousand times
        // in a 16 KiB request stays 8,192 flags.
        var chosen = [Bool](repeating: false, count: Self.limit)
        for part in text.trimmingWhitespace().split(separator: ",", omittingEmptySubsequences: false) {
            // Five digits at most: a longer number is not a CPU, whatever its value.
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingWhitespace() }.map { $0.count <= 5 ? Int(decimalDigits: $0) : nil }
            guard (1...2).contains(bounds.count), let first = bounds.first!, let last = bounds.last!, first <= last else {
                throw .malformed(field: field, value: text, expected: expected)
            }
            guard last < Self.limit else {
                throw .outOfRange(field: field, value: text, allowed: "CPU numbers below \(Self.limit)")
            }
            for cpu in first...last { chosen[cpu] = true }
        }
        cpus = chosen.indices.filter { chosen[$0] }
    }

    public var count: Int { cpus.count }

    public func isSubset(of other: CPUList) -> Bool {
        Set(cpus).isSubset(of: other.cpus)
    }

    /// Runs collapsed into ranges: `0-3,6`.
    public var description: String {
        var parts: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count, cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? String(cpus[index]) : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
