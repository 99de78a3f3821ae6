/// A problem with what a user typed or sent: a value that does not parse or a
/// spec that breaks a rule. Every case reads as a sentence that says what was
/// wrong and what to do; the CLI maps all of them to exit code 2 and the HTTP
/// API (later) to 422.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` could not be parsed; `expected` shows the accepted syntax.
    case malformed(field: String, value: String, expected: String)
    /// `field` parsed but lies outside what is allowed.
    case outOfRange(field: String, value: String, allowed: String)
    /// A rule between several fields, or against the host, is broken.
    case rejected(field: String, reason: String)

    /// The name of the parameter at fault, as the CLI and the API spell it.
    public var field: String {
        switch self {
        case .malformed(let field, _, _), .outOfRange(let field, _, _), .rejected(let field, _):
            return field
        }
    }

    public var description: String {
        switch self {
        case .malformed(let field, let value, let expected):
            return "invalid \(field) '\(value)': expected \(expected)"
        case .outOfRange(let field, let value, let allowed):
            return "\(field) '\(value)' is out of range: \(allowed)"
        case .rejected(let field, let reason):
            return "\(field): \(reason)"
        }
    }
}
