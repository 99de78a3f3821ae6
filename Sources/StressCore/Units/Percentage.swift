/// A share of something (a core, the memory limit, a file system), written
/// `80%` or `80`. Kept as a fraction so arithmetic never divides by 100 twice.
public struct Percentage: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 0.8 for 80%.
    public let fraction: Double

    public init(fraction: Double) {
        self.fraction = fraction
    }

    /// Parses `80%`, `80`, `12.5%`. Bounds are the caller's rule, not the syntax's.
    public init(parsing text: String, field: String) throws(InputError) {
        var body = text.trimmingWhitespace()
        if body.hasSuffix("%") { body.removeLast() }
        guard let value = Double(finite: body) else {
            throw .malformed(field: field, value: text, expected: "a percentage such as 80% or 12.5%")
        }
        self.fraction = value / 100
    }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.fraction < rhs.fraction }

    public var description: String {
        let percent = fraction * 100
        if percent == percent.rounded() { return "\(Int(percent))%" }
        return "\((percent * 100).rounded() / 100)%"
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces, tabs and newlines without
    /// Foundation: what user input and one-value kernel files both need.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
