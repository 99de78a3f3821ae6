/// An amount of memory or disk in bytes, parsed from what users type:
/// `512M`, `2GiB`, `1.5G`, `4096`. Powers of 1024 throughout, as `free -h`
/// and `df -h` print them; `K`, `KB` and `KiB` all mean 1024 bytes, because a
/// user who writes `2GB` for a memory hog means the same as `2GiB`.
public struct ByteCount: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let bytes: UInt64

    public init(bytes: UInt64) {
        self.bytes = bytes
    }

    public init(parsing text: String, field: String) throws(InputError) {
        let expected = "a size such as 512M, 2G, 1.5GiB or 4096 (units: K, M, G, T)"
        let body = text.trimmingWhitespace()
        if body.hasPrefix("-") {
            throw .outOfRange(field: field, value: text, allowed: "a size cannot be negative")
        }
        let number = body.prefix { $0.isNumber || $0 == "." }
        let unit = body.dropFirst(number.count).uppercased()
        guard let value = Double(finite: number), let scale = Self.multiplier(of: unit) else {
            throw .malformed(field: field, value: text, expected: expected)
        }
        let total = value * scale
        guard total < 9.0e18 else {
            throw .outOfRange(field: field, value: text, allowed: "at most 8 EiB")
        }
        self.bytes = UInt64(total.rounded())
    }

    private static func multiplier(of unit: String) -> Double? {
        let powers: [Character: Double] = ["K": 1, "M": 2, "G": 3, "T": 4]
        if unit.isEmpty || unit == "B" { return 1 }
        guard let first = unit.first, let power = powers[first],
              ["", "B", "IB"].contains(unit.dropFirst()) else { return nil }
        return pow1024(power)
    }

    private static func pow1024(_ power: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(power) { result *= 1024 }
        return result
    }

    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }

    /// `1.5 GiB`, `512 MiB`, `100 B`: the form reports and terminals print.
    public var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[index])" : "\(rounded) \(units[index])"
    }
}
