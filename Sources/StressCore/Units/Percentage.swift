/// A share of something (a core, the memory limit, a file system), written
/// `80%` or `80`. Kept as the percent typed, so the written form
/// (`wireValue`) reads back as exactly the same value.
public struct Percentage: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 80 for 80%.
    public let percent: Double

    /// 0.8 for 80%.
    public var fraction: Double { percent / 100 }

    public init(fraction: Double) {
        self.percent = fraction * 100
    }

    /// Parses `80%`, `80`, `12.5%`. Bounds are the caller's rule, not the syntax's.
    public init(parsing text: String, field: String) throws(InputError) {
        var body = text.trimmingWhitespace()
        if body.hasSuffix("%") { body.removeLast() }
        guard let value = Double(finite: body) else {
            throw .malformed(field: field, value: text, expected: "a percentage such as 80% or 12.5%")
        }
        self.percent = value
    }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.percent < rhs.percent }

    /// Two decimals at most (`12.35%`), for people; any finite value prints,
    /// however far out of range (an error message may show `1e+30%`).
    public var description: String {
        let rounded = (percent * 100).rounded() / 100
        return Self.text(rounded.isFinite ? rounded : percent)
    }

    /// Every digit (`12.345%`): the flat form a spec is stored and echoed in.
    public var wireValue: String { Self.text(percent) }

    private static func text(_ percent: Double) -> String {
        if percent == percent.rounded(), abs(percent) < 1e15 { return "\(Int(percent))%" }
        return "\(percent)%"
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
