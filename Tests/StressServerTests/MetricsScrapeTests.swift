import Foundation
import LinuxHost
import StressAgent
import StressServer
import SystemPackage
import TestSupport
import Testing

/// `/metrics` through the Prometheus registry: counters of running totals
/// kept outside the agent (the kernel's, the watchdogs' tally) follow them
/// and never go down, whatever the scrape order.
@Suite struct MetricsScrapeTests {
    @Test func aKernelTotalIsExportedAsACounterThatOnlyRises() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.path.appending("proc")
        try FileManager.default.createDirectory(atPath: root.string, withIntermediateDirectories: true)
        func stat(busy: Int) throws {
            try "cpu  \(busy) 0 0 1000 0 0 0 0 0 0\ncpu0 \(busy) 0 0 1000 0 0 0 0 0 0\n"
                .write(toFile: root.appending("stat").string, atomically: false, encoding: .utf8)
        }
        let scrape = MetricsScrape(procFS: ProcFS(root: root))
        let agent = Agent(environment: try .testing(directory.path.appending("state")), metrics: AgentMetrics(factory: scrape.factory))
        let ticks = SystemConstants.clockTicksPerSecond
        func busy() async -> Double? {
            let line = await scrape.render(agent: agent).split(separator: "\n")
                .first { $0.hasPrefix(#"stressd_host_cpu_seconds_total{mode="busy"} "#) }
            return line.flatMap { Double(String($0.split(separator: " ").last ?? "")) }
        }

        try stat(busy: 500)
        #expect(await busy() == 500 / ticks)
        try stat(busy: 800)
        #expect(await busy() == 800 / ticks)
        // A total read lower (iowait steps back on some kernels) leaves the counter where it was.
        try stat(busy: 700)
        #expect(await busy() == 800 / ticks)
        let text = await scrape.render(agent: agent)
        #expect(text.contains("# TYPE stressd_host_cpu_seconds_total counter\n"))
        #expect(text.contains("stressd_lease_expiries_total 0\n"), "counted from the start, at 0")
        #expect(!text.contains("stressd_host_memory_available_bytes"), "no meminfo in this /proc, no series")
    }

    /// Watchdog undos happen while no agent runs: `/metrics` reads them from
    /// the tally the watchdogs keep in the state directory.
    @Test func watchdogUndosAreReadFromTheStateDirectory() async throws {
        let directory = try TemporaryDirectory()
        let scrape = MetricsScrape()
        let state = directory.path.appending("state")
        let agent = Agent(environment: try .testing(state), metrics: AgentMetrics(factory: scrape.factory))
        let series = #"stressd_cleanups_total{layer="watchdog"} "#
        func undos() async -> Double? {
            let line = await scrape.render(agent: agent).split(separator: "\n").first { $0.hasPrefix(series) }
            return line.flatMap { Double(String($0.dropFirst(series.count))) }
        }

        #expect(await undos() == 0, "exported from the start")
        try "2\n".write(toFile: state.appending("watchdog-undos").string, atomically: false, encoding: .utf8)
        #expect(await undos() == 2)
        try "garbage".write(toFile: state.appending("watchdog-undos").string, atomically: false, encoding: .utf8)
        #expect(await undos() == 2, "an unreadable tally leaves the counter where it was (as any lower reading would)")
    }
}
