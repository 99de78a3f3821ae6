import Foundation
import Testing

/// The units under `units/` as systemd reads them.
@Suite struct UnitFileTests {
    static let analyze = "/usr/bin/systemd-analyze"
    static let units = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("units")
    static let unit = units.appendingPathComponent("stressd.service")

    /// The units with their binary pointed at the one under test
    /// (`systemd-analyze verify` checks that ExecStart exists).
    func installedCopy() throws -> ([URL], () -> Void) {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("stressd-unit-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copies = try ["stressd.service", "stressd.socket", "stressd-cleanup.service"].map { name in
            let text = try String(contentsOf: Self.units.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/stressd", with: StressdBinary.path)
            let copy = directory.appendingPathComponent(name)
            try text.write(to: copy, atomically: true, encoding: .utf8)
            return copy
        }
        return (copies, { try? FileManager.default.removeItem(at: directory) })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyze), "needs systemd-analyze"))
    func systemdAnalyzeVerifyPasses() throws {
        let (copies, remove) = try installedCopy()
        defer { remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.analyze)
        process.arguments = ["verify"] + copies.map(\.path)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.isEmpty, "verify printed warnings: \(output)")
    }

    /// The README's score for the shipped unit's hardening.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyze), "needs systemd-analyze"))
    func theHardeningScoresWhatTheREADMESays() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.analyze)
        process.arguments = ["security", "--offline=true", Self.unit.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let score = try #require(text.firstMatch(of: /Overall exposure level for stressd.service: ([0-9.]+)/).flatMap { Double($0.1) }, "\(text)")
        #expect(score <= 3.5, "the README says 3.5 OK")
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
        #expect(!text.contains("--listen"), "the socket unit or the config decides where it listens")
        let socket = try String(contentsOf: Self.units.appendingPathComponent("stressd.socket"), encoding: .utf8)
        #expect(socket.contains("ListenStream=127.0.0.1:7070") && socket.contains("Accept=no"))
        let boot = try String(contentsOf: Self.units.appendingPathComponent("stressd-cleanup.service"), encoding: .utf8)
        for line in ["Type=oneshot", "ExecStart=/usr/local/bin/stressd cleanup", "Before=stressd.service", "WantedBy=multi-user.target"] {
            #expect(boot.contains(line), "units/stressd-cleanup.service lacks \(line)")
        }
    }
}
