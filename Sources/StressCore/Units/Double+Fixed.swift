extension Double {
    /// The value with `decimals` digits after the point, as printf's `%.Nf`
    /// writes it (`0.125.fixed(2)` is "0.13", `3.0.fixed(1)` is "3.0").
    ///
    /// Here rather than `String(format:)`, which is not in FoundationEssentials:
    /// using it links all of swift-corelibs-foundation and ICU into the binary,
    /// about 50 MB and a millisecond of start-up for every command and worker.
    public func fixed(_ decimals: Int) -> String {
        let scale = (0..<decimals).reduce(1.0) { product, _ in product * 10 }
        let scaled = (magnitude * scale).rounded()
        guard isFinite, scaled < 9e18 else { return description }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        let sign = self < 0 && units > 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let fraction = String(units % UInt64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A fraction as a percentage with `decimals` digits (`0.305.percent(1)`
    /// is "30.5%"): how loads read in progress lines and reports alike.
    public func percent(_ decimals: Int) -> String {
        (self * 100).fixed(decimals) + "%"
    }
}
