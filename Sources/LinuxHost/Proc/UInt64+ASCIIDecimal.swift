extension UInt64 {
    /// Reads the digits of a kernel file's number straight from its bytes:
    /// nil when empty, when anything but 0-9 appears, or on overflow. The
    /// files a guard reads ten times a second are parsed this way, because
    /// `UInt64(String(...))` on each field costs an allocation and a
    /// Character walk that the ASCII the kernel writes does not need.
    init?(asciiDecimal digits: some Collection<UInt8>) {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = sum
        }
        self = value
    }
}
