/// A size given either absolutely (`2G`) or as a share of some whole (`80%`),
/// as `--size`, `--floor` and `--leave` accept. The whole is the caller's:
/// the memory limit, a file system's size.
public enum SizeOrShare: Hashable, Sendable, CustomStringConvertible {
    case bytes(ByteCount)
    case share(Percentage)

    public init(parsing text: String, field: String) throws(InputError) {
        let body = text.trimmingWhitespace()
        if body.hasSuffix("%") {
            let share = try Percentage(parsing: body, field: field)
            guard share.fraction >= 0, share.fraction <= 1 else {
                throw .outOfRange(field: field, value: text, allowed: "a share from 0% to 100%")
            }
            self = .share(share)
        } else {
            self = .bytes(try ByteCount(parsing: body, field: field))
        }
    }

    /// Bytes, given what a share is a share of.
    public func bytes(of whole: UInt64) -> UInt64 {
        switch self {
        case .bytes(let count): return count.bytes
        case .share(let share):
            // At most the whole: Double rounds UInt64.max up past itself, and
            // 100% of it must not trap converting back.
            let product = (Double(whole) * share.fraction).rounded()
            return product >= Double(whole) ? whole : UInt64(product)
        }
    }

    public var description: String {
        switch self {
        case .bytes(let count): return count.description
        case .share(let share): return share.description
        }
    }

    /// The form users type back in (`2G` style sizes print as bytes).
    public var wireValue: String {
        switch self {
        case .bytes(let count): return String(count.bytes)
        case .share(let share): return share.wireValue
        }
    }
}
