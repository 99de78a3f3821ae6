import Foundation
import Glibc
import LinuxHost
import StressAgent
import StressCore
import SystemPackage

/// A `sleep` process this test spawned itself: the only kind of process
/// these tests ever signal.
final class SpawnedSleep {
    let process: Process

    init(seconds: Int = 30) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = [String(seconds)]
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var identity: ProcessIdentity {
        get throws { try ProcFS().processStat(pid).identity }
    }

    var isRunning: Bool { process.isRunning }

    deinit {
        // SIGKILL: the test runner may ignore SIGTERM, and children inherit that.
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}

func makeRecord(
    id: String, bootID: String, supervisor: ProcessIdentity, workers: [ProcessIdentity] = [], cgroups: [String] = []
) throws -> LedgerRecord {
    // Whole seconds: the ledger stores ISO 8601 dates without fractions.
    let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    return LedgerRecord(
        id: try AttackID(validating: id),
        spec: AttackSpec(.cpu(CPUSpec(load: Percentage(fraction: 0.5), cores: .count(1))), duration: .seconds(10)),
        bootID: bootID, supervisor: supervisor, startedAt: now, deadline: now.addingTimeInterval(10),
        workers: workers, cgroups: cgroups)
}
