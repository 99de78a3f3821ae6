extension Double {
    /// A number as a kernel file writes it; nil for `nan` and `inf`, which
    /// `Double(_:)` accepts but no kernel writes, and which JSON cannot carry
    /// into a snapshot or a report.
    init?(finite text: some StringProtocol) {
        guard let value = Double(text), value.isFinite else { return nil }
        self = value
    }
}
