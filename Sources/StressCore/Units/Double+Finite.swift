extension Double {
    /// A number from text, or nil for text that is not one and for `nan` and
    /// `inf`, which `Double(_:)` accepts but no kernel file writes, no user
    /// means, and JSON cannot carry into a snapshot or a report. Every parser
    /// of numbers in user input and kernel files reads them through this.
    public init?(finite text: some StringProtocol) {
        guard let value = Double(text), value.isFinite else { return nil }
        self = value
    }
}
