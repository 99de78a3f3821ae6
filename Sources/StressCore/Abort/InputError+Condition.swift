extension InputError {
    /// The same error with its field named inside a condition
    /// (`abort-unless http status`), so a person knows which flag to fix.
    func naming(condition word: String) -> InputError {
        let field = "\(AbortCondition.field) \(word) \(self.field)"
        switch self {
        case .malformed(_, let value, let expected): return .malformed(field: field, value: value, expected: expected)
        case .outOfRange(_, let value, let allowed): return .outOfRange(field: field, value: value, allowed: allowed)
        case .rejected(_, let reason): return .rejected(field: field, reason: reason)
        }
    }
}
