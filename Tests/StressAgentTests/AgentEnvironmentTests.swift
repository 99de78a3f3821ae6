import Foundation
import Glibc
import LinuxHost
import StressAgent
import TestSupport
import Testing

@Suite struct AgentEnvironmentTests {
    /// A /proc with a boot ID, and this process's stat and cgroup files
    /// that do not parse.
    func procWithBrokenFiles(in directory: TemporaryDirectory) throws -> ProcFS {
        let root = directory.path.appending("proc")
        let pid = String(getpid())
        for folder in ["self", pid, "sys/kernel/random"] {
            try FileManager.default.createDirectory(atPath: root.appending(folder).string, withIntermediateDirectories: true)
        }
        try "not a stat line\n".write(toFile: root.appending(pid).appending("stat").string, atomically: false, encoding: .utf8)
        try "4e87f6ce-0ff4-41e4-9f0e-5c1d2a3b4c5d\n"
            .write(toFile: root.appending("sys/kernel/random/boot_id").string, atomically: false, encoding: .utf8)
        try "not a cgroup line\n".write(toFile: root.appending("self/cgroup").string, atomically: false, encoding: .utf8)
        return ProcFS(root: root)
    }

    @Test func recoveryWorksWhereItsOwnProcessFilesCannotBeRead() async throws {
        let directory = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(
            directory.path.appending("state"), procFS: procWithBrokenFiles(in: directory))
        #expect(try environment.replay.statuses().isEmpty)
        #expect(try await environment.replay.cleanup().isEmpty)
        // What needs the limits says why it cannot have them.
        let error = try #require(throws: HostError.self) { try environment.hostLimits() }
        #expect(error.description.contains("not a cgroup line"), "\(error)")
        #expect(throws: HostError.self) { try environment.memoryGauge() }
        #expect(throws: HostError.self) { try environment.supervisor() }
    }
}
