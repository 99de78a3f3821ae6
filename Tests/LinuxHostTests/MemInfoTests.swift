import LinuxHost
import Testing

@Suite struct MemInfoTests {
    @Test func convertsKilobytesToBytesAndKeepsEveryField() throws {
        let info = try MemInfo(parsing: """
            MemTotal:       24683656 kB
            MemAvailable:   24193340 kB
            Active(anon):       1540 kB
            SwapTotal:       2097148 kB
            SwapFree:              0 kB
            HugePages_Total:      16
            SomethingNew:          7 kB
            """)
        #expect(info.totalBytes == 24_683_656 * 1024)
        #expect(info.availableBytes == 24_193_340 * 1024)
        #expect(info.swapTotalBytes == 2_097_148 * 1024)
        #expect(info.swapFreeBytes == 0)
        #expect(info.fields["Active(anon)"] == 1540 * 1024)
        #expect(info.fields["HugePages_Total"] == 16, "counts have no unit and stay counts")
        #expect(info.fields["SomethingNew"] == 7 * 1024, "unknown fields are kept")
    }

    @Test(arguments: [
        ("", "no MemTotal"),
        ("MemTotal: 100 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n", "no MemAvailable (kernel older than 3.14?)"),
        ("MemTotal: lots kB\n", "value is not a number"),
        ("MemTotal: -5 kB\n", "value is not a number"),
        ("MemTotal: 18446744073709551616\n", "value is not a number"),
        ("MemTotal: kB\n", "value is not a number"),
        ("MemTotal: 100 MB\n", "unknown unit 'MB'"),
        ("MemTotal 100 kB\n", "expected 'Name: value [kB]'"),
        ("MemTotal: 18446744073709551615 kB\n", "size too large"),
    ])
    func rejectsBrokenText(text: String, reason: String) {
        #expect {
            try MemInfo(parsing: text, file: "meminfo")
        } throws: { error in
            guard case .unparsable(let file, _, let actual) = error as? HostError else { return false }
            return file == "meminfo" && actual == reason
        }
    }

    @Test(arguments: [
        (Fixture.hybridHost, UInt64(24_683_656) * 1024, UInt64(0)),
        (Fixture.v2Container, UInt64(8_025_424) * 1024, UInt64(2_097_148) * 1024),
        (Fixture.v1Host, UInt64(4_024_924) * 1024, UInt64(1_048_572) * 1024),
    ])
    func readsFixtures(fixture: Fixture, total: UInt64, swap: UInt64) throws {
        let info = try fixture.proc.memInfo()
        #expect(info.totalBytes == total)
        #expect(info.swapTotalBytes == swap)
        #expect(info.availableBytes <= info.totalBytes)
    }

    @Test func emptyFileNamesThePath() throws {
        let error = try #require(throws: HostError.self) { try Fixture.odd.proc.memInfo() }
        guard case .unparsable(let file, _, _) = error else {
            Issue.record("expected a parse error, got \(error)")
            return
        }
        #expect(file.hasSuffix("odd/proc/meminfo"))
    }
}
