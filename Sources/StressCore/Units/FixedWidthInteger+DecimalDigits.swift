extension FixedWidthInteger {
    /// A count or an index written in ASCII digits only: `Int(_:)` also
    /// reads `-1` and `+1`, which no count users type may be (a negative
    /// repetition count once trapped compiling a pattern). Nil for anything
    /// else, the empty string, or a number past `Self.max`.
    public init?(decimalDigits text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Self(text) else { return nil }
        self = value
    }
}
