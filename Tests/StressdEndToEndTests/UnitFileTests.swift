import Foundation
import Testing

/// `units/stressd.service` as systemd reads it.
@Suite struct UnitFileTests {
    static let analyze = "/usr/bin/systemd-analyze"
    static let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("units/stressd.service")

    /// The unit with its binary pointed at the one under test
    /// (`systemd-analyze verify` checks that ExecStart exists).
    func installedCopy() throws -> (URL, () -> Void) {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("stressd-unit-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = try String(contentsOf: Self.unit, encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/stressd", with: StressdBinary.path)
        let copy = directory.appendingPathComponent("stressd.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        return (copy, { try? FileManager.default.removeItem(at: directory) })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyze), "needs systemd-analyze"))
    func systemdAnalyzeVerifyPasses() throws {
        let (copy, remove) = try installedCopy()
        defer { remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.analyze)
        process.arguments = ["verify", copy.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.isEmpty, "verify printed warnings: \(output)")
    }

    @Test func theUnitKeepsItsPromises() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        for line in [
            "Type=notify", "WatchdogSec=", "Restart=on-failure", "ExecStopPost=/usr/local/bin/stressd cleanup",
            "StateDirectory=stressd", "ConfigurationDirectory=stressd", "LoadCredential=token:", "Delegate=yes",
            "ExecStart=/usr/local/bin/stressd serve",
        ] {
            #expect(text.contains(line), "units/stressd.service lacks \(line)")
        }
    }
}
