import Foundation
import Glibc
import LinuxHost
import Testing

/// Runs the real `stressd` binary (from STRESSD_BIN, or the debug build
/// beside these sources) with its own temp state directory.
struct StressdBinary {
    static let path: String = {
        if let path = ProcessInfo.processInfo.environment["STRESSD_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/stressd").path
    }()

    let stateDirectory: String

    init() throws {
        var template = Array("/tmp/stressd-e2e-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        stateDirectory = String(cString: made)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts stressd without waiting; the caller owns the process.
    /// `inside` wraps the command, e.g. to run it in a test cgroup;
    /// `local: false` leaves out `--state-dir`, for `--agent` commands.
    func start(
        _ arguments: [String], local: Bool = true, inside wrap: ((String, [String]) -> (String, [String]))? = nil
    ) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        let full = arguments + (local ? ["--state-dir", stateDirectory] : [])
        let (executable, finalArguments) = wrap?(Self.path, full) ?? (Self.path, full)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = finalArguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs stressd to completion.
    func run(
        _ arguments: [String], local: Bool = true, inside wrap: ((String, [String]) -> (String, [String]))? = nil
    ) throws -> Result {
        let (process, out, err) = try start(arguments, local: local, inside: wrap)
        return Self.finish(process, out, err)
    }

    static func finish(_ process: Process, _ out: Pipe, _ err: Pipe) -> Result {
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Ledger records on disk now.
    var ledgerFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/ledger")) ?? [])
            .filter { $0.hasSuffix(".json") }
    }

    /// The first ledger record, once it lists `workers` workers (and its
    /// cleanup watchdog, which every attack but a kill has).
    func waitForRecord(workers: Int, timeout: Double = 10) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let name = ledgerFiles.first,
               let data = FileManager.default.contents(atPath: stateDirectory + "/ledger/" + name),
               let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let recorded = record["workers"] as? [[String: Any]], recorded.count == workers,
               record["watchdog"] != nil || (record["id"] as? String)?.hasPrefix("kill-") == true {
                return record
            }
            usleep(20_000)
        }
        throw POSIXError(.ETIMEDOUT)
    }
}

/// Whether the recorded process still runs: same pid *and* start time, and
/// not a zombie awaiting reaping.
func isLive(_ worker: [String: Any]) -> Bool {
    guard let pid = worker["pid"] as? Int, let start = worker["startTime"] as? Int,
          let stat = try? ProcFS().processStat(Int32(pid)) else { return false }
    return stat.startTime == UInt64(start) && !stat.hasExited
}

func decodeJSON(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// The promise, checked after every attack a test runs: the report's
/// verification found nothing left, the cgroups and fill folders it removed
/// are really gone, and the ledger is empty.
func expectCleanedUp(_ report: [String: Any], _ stressd: StressdBinary, sourceLocation: SourceLocation = #_sourceLocation) {
    let cleanup = report["cleanup"] as? [String: Any] ?? [:]
    #expect((cleanup["leftovers"] as? [String]) == [], "leftovers: \(cleanup["leftovers"] ?? "none reported")", sourceLocation: sourceLocation)
    for path in (cleanup["cgroupsRemoved"] as? [String] ?? []) + (cleanup["fillFoldersRemoved"] as? [String] ?? []) {
        #expect(!FileManager.default.fileExists(atPath: path), "\(path) still exists", sourceLocation: sourceLocation)
    }
    #expect(stressd.ledgerFiles.isEmpty, "ledger records left: \(stressd.ledgerFiles)", sourceLocation: sourceLocation)
    #expect(stressd.liveWatchdogs.isEmpty, "cleanup watchdogs left: \(stressd.liveWatchdogs)", sourceLocation: sourceLocation)
}

extension StressdBinary {
    /// The pids of cleanup watchdogs (`stressd watchdog …`) working on this
    /// test's state directory that have not exited.
    var liveWatchdogs: [Int32] {
        let proc = ProcFS()
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard arguments.count > 1, arguments[1] == "watchdog", arguments.last == stateDirectory else { return false }
            return (try? proc.processStat(pid))?.hasExited == false
        }
    }

    /// SIGKILLs the cleanup watchdog a ledger record names and waits for it
    /// to die: for tests of the layers behind it.
    func killWatchdog(of record: [String: Any]) throws {
        let watchdog = try #require(record["watchdog"] as? [String: Any])
        kill(try #require(watchdog["pid"] as? Int32), SIGKILL)
        #expect(seconds(until: { !isLive(watchdog) }) != nil, "the watchdog outlived SIGKILL")
    }

    /// Waits up to `timeout` seconds for `condition`; returns how long it took, or nil.
    func seconds(until condition: () -> Bool, timeout: Double = 2) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if condition() { return Date().timeIntervalSince(start) }
            usleep(2_000)
        }
        return condition() ? Date().timeIntervalSince(start) : nil
    }
}

/// A port for a listener a test starts: below the kernel's ephemeral range
/// (32768-60999 by default), so no outgoing connection can be holding it.
func testPort() -> Int {
    Int.random(in: 20_000...32_000)
}

extension Process {
    /// Ends a process a test started if it still runs (a failed
    /// expectation left it going) and waits for it.
    func endIfRunning(_ signal: Int32) {
        guard isRunning else { return }
        kill(processIdentifier, signal)
        waitUntilExit()
    }
}
