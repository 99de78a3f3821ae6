import Foundation
import LinuxHost
@testable import StressAgent
import StressCore
import SystemPackage
import TestSupport
import Testing

/// The report's timeline reads rates from the kernel's running totals: CPU
/// busy from /proc/stat, stall time from /proc/pressure, each over the time
/// since the sample before.
@Suite struct HostTimelineTests {
    /// Writes `text` over the file in place, so a descriptor held on it reads the new text.
    func write(_ text: String, to path: FilePath) throws {
        try text.write(toFile: path.string, atomically: false, encoding: .utf8)
    }

    func pressure(some total: UInt64) -> String {
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=\(total)\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    }

    @Test func ratesAreTheTotalsDifferencesOverTheTimeBetweenSamples() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path.appending("proc")
        try FileManager.default.createDirectory(atPath: root.appending("pressure").string, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root.appending("sys/kernel/random").string, withIntermediateDirectories: true)
        try write("4e87f6ce-0ff4-41e4-9f0e-5c1d2a3b4c5d\n", to: root.appending("sys/kernel/random/boot_id"))
        try write("0.50 0.40 0.30 1/100 4242\n", to: root.appending("loadavg"))
        try write("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0 0 0\n", to: root.appending("stat"))
        for resource in ["cpu", "memory", "io"] {
            try write(pressure(some: 1_000_000), to: root.appending("pressure/\(resource)"))
        }
        let environment = try AgentEnvironment.testing(directory.path.appending("state"), procFS: ProcFS(root: root))
        var timeline = HostTimeline(reader: HostReader(environment: environment, guard: Guard(), directories: [:]))

        timeline.record(elapsed: 0)
        // Over the next half second: 60 busy ticks of 100 (user and system),
        // 125 ms of CPU stall (25 %), 500 ms of memory stall (100 %), none for I/O.
        try write("cpu  130 0 130 840 0 0 0 0 0 0\ncpu0 130 0 130 840 0 0 0 0 0 0\n", to: root.appending("stat"))
        try write(pressure(some: 1_125_000), to: root.appending("pressure/cpu"))
        try write(pressure(some: 1_500_000), to: root.appending("pressure/memory"))
        let samples = timeline.finish(elapsed: 0.5)

        #expect(samples.map(\.elapsed) == [0, 0.5])
        // The first sample has nothing to difference against.
        #expect(samples[0].cpuBusyPercent == nil && samples[0].cpuPressurePercent == nil)
        #expect(samples[0].loadAverage1 == 0.5)
        let last = samples[1]
        #expect(last.cpuBusyPercent == 60)
        #expect(last.cpuPressurePercent == 25)
        #expect(last.memoryPressurePercent == 100)
        #expect(last.ioPressurePercent == 0)
        #expect(last.diskAvailableBytes == nil, "no disk floor, no path to read")
    }

    @Test func aHostWithoutPressureFilesLeavesThemOut() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path.appending("proc")
        try FileManager.default.createDirectory(atPath: root.appending("sys/kernel/random").string, withIntermediateDirectories: true)
        try write("4e87f6ce-0ff4-41e4-9f0e-5c1d2a3b4c5d\n", to: root.appending("sys/kernel/random/boot_id"))
        let environment = try AgentEnvironment.testing(directory.path.appending("state"), procFS: ProcFS(root: root))
        var timeline = HostTimeline(reader: HostReader(environment: environment, guard: Guard(), directories: [:]))
        timeline.record(elapsed: 0)
        let samples = timeline.finish(elapsed: 1)
        #expect(samples.count == 2)
        #expect(samples.allSatisfy { $0.cpuBusyPercent == nil && $0.ioPressurePercent == nil && $0.memoryAvailableBytes == nil })
    }
}
