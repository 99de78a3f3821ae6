import Foundation
import Glibc
import LinuxHost
@testable import StressAgent
import StressCore
import TestSupport
import Testing

/// The guard's eyes (issue 12, finding 3): readings through files held open,
/// and a guard that fails closed when it cannot see.
@Suite struct HostReaderTests {
    /// A /proc with a boot ID and, if given, a loadavg.
    func proc(in directory: TemporaryDirectory, loadavg: String?) throws -> ProcFS {
        let root = directory.path.appending("proc")
        try FileManager.default.createDirectory(atPath: root.appending("sys/kernel/random").string, withIntermediateDirectories: true)
        try "4e87f6ce-0ff4-41e4-9f0e-5c1d2a3b4c5d\n"
            .write(toFile: root.appending("sys/kernel/random/boot_id").string, atomically: false, encoding: .utf8)
        if let loadavg {
            try loadavg.write(toFile: root.appending("loadavg").string, atomically: false, encoding: .utf8)
        }
        return ProcFS(root: root)
    }

    func reader(_ directory: TemporaryDirectory, loadavg: String?) throws -> HostReader {
        let environment = try AgentEnvironment.testing(
            directory.path.appending("state"), procFS: try proc(in: directory, loadavg: loadavg))
        return HostReader(environment: environment, guard: Guard(maxLoadAverage: 4), directories: [:])
    }

    @Test func aReadingKeepsItsFileOpenAndNeedsNoNewDescriptor() throws {
        let directory = try TemporaryDirectory()
        let reader = try reader(directory, loadavg: "0.50 0.40 0.30 1/100 4242\n")
        #expect(reader.reading().loadAverage1 == 0.5)
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        // Gone from its path, still read: the guard holds it.
        unlink(directory.path.appending("proc/loadavg").string)
        for _ in 0..<10 {
            let reading = reader.reading()
            #expect(reading.loadAverage1 == 0.5 && reading.unreadable.isEmpty, "\(reading)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count == descriptors)
    }

    @Test func aGuardThatCannotReadStopsTheAttackInsteadOfWavingItThrough() throws {
        let directory = try TemporaryDirectory()
        let reader = try reader(directory, loadavg: nil)
        var watch = GuardWatch(rails: Guard(maxLoadAverage: 4))
        let first = reader.reading()
        #expect(first.loadAverage1 == nil)
        #expect(first.unreadable.count == 1 && first.unreadable[0].hasPrefix("load average: open "), "\(first.unreadable)")
        #expect(watch.judge(first) == nil)
        #expect(watch.judge(reader.reading()) == nil)
        #expect(watch.judge(reader.reading())?.name == .unreadable)
    }
}
