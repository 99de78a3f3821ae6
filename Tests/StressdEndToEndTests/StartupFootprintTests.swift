import Foundation
import Testing

/// What every command and every worker loads before it does anything: the
/// start-up cost issue 4 measures. Each library here was once linked and cost
/// a measured millisecond or more per process.
@Suite("Start-up footprint of the binary")
struct StartupFootprintTests {
    /// Runs a binutils-style inspector over the binary; its exit status and stdout.
    private func inspect(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + [StressdBinary.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// The shared libraries the binary asks the loader for (ELF DT_NEEDED).
    private func neededLibraries() throws -> [String] {
        let (status, text) = try inspect("/usr/bin/readelf", ["--dynamic", "--wide"])
        #expect(status == 0)
        return text.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap { line in
            line.split(separator: "[").last?.split(separator: "]").first.map(String.init)
        }
    }

    @Test("libsystemd is loaded by `serve` when needed, not linked into every process")
    func libsystemdIsNotLinked() throws {
        let needed = try neededLibraries()
        #expect(needed.contains { $0.hasPrefix("libc.so") }, "readelf must have listed something: \(needed)")
        #expect(!needed.contains { $0.hasPrefix("libsystemd") })
    }

    @Test("swift-corelibs-foundation (and ICU) stay out: FoundationEssentials only")
    func corelibsFoundationIsNotLinked() throws {
        let needed = try neededLibraries()
        #expect(!needed.contains { $0.hasPrefix("libFoundation.so") || $0.hasPrefix("lib_FoundationICU") })
        // A static build has no libFoundation.so to list: look for CoreFoundation itself.
        let (status, _) = try inspect("/bin/grep", ["--quiet", "--text", "__CFInitialize"])
        #expect(status == 1, "CoreFoundation is linked in")
    }
}
