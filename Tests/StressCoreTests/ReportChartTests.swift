import FoundationEssentials
@testable import StressCore
import Testing

/// A report drawn as SVG: what each panel holds, where the window and the
/// events fall, and that the user's text cannot break the document. The
/// rendered pixels are checked in tests/api/test_report_chart.py.
@Suite struct ReportChartTests {
    func report(
        kind: AttackKind = .mem, outcome: AttackOutcome = .completed, stoppedAfter: Double? = 10,
        timeline: [HostSample]? = nil
    ) throws -> AttackReport {
        let parameters: FlatParameters = kind == .mem
            ? FlatParameters(["size": "256M", "duration": "10s"])
            : FlatParameters(["name": "web", "duration": "10s"])
        var report = try AttackReport(
            id: AttackID(validating: "\(kind.rawValue)-0000abcd"), spec: AttackSpec(kind: kind, parameters: parameters),
            startedAt: Date(timeIntervalSince1970: 1_800_000_000), endedAt: Date(timeIntervalSince1970: 1_800_000_011),
            outcome: outcome, guards: Guard(memoryFloorBytes: 1 << 30),
            timeline: timeline ?? (0...40).map { step in
                HostSample(
                    elapsed: Double(step) / 4, memoryAvailableBytes: UInt64(4 << 30) - UInt64(step) * (16 << 20), loadAverage1: 1,
                    cpuBusyPercent: 50, ioPressurePercent: 2)
            },
            cleanup: CleanupVerification(reapMilliseconds: 1, workersReaped: 1, cgroupsRemoved: [], ledgerRecordRemoved: true, leftovers: []))
        report.stoppedAfterSeconds = stoppedAfter
        return report
    }

    /// The value of `attribute` in every element of `name` with `class`.
    func attribute(_ attribute: String, of name: String, class className: String, in svg: String) -> [String] {
        svg.split(separator: "\n").filter { $0.hasPrefix("<\(name) ") && $0.contains("class=\"\(className)\"") }.compactMap { line in
            guard let start = line.range(of: " \(attribute)=\"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func aMemoryReportHasItsAttackHostAndMemoryPanelsWithTheFloor() throws {
        var report = try report()
        report.memory = MemoryMeasurements(
            targetBytes: 256 << 20, peakHeldBytes: 256 << 20, secondsToTarget: 0.5, locked: false, oomKills: [],
            availableBeforeBytes: 4 << 30, availableLowestBytes: 3 << 30, availableAfterBytes: 4 << 30,
            samples: (1...40).map { MemorySample(elapsed: Double($0) / 4, residentBytes: min(256, UInt64($0) * 128) << 20, targetBytes: 256 << 20) })
        let svg = ReportChart(report).svg

        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960.0\""))
        #expect(svg.hasSuffix("</svg>\n"))
        let panels = svg.split(separator: "\n").filter { $0.hasPrefix("<g class=\"panel\"") }.map(String.init)
        #expect(panels.count == 3, "\(panels)")
        #expect(attribute("data-name", of: "polyline", class: "series", in: svg) == ["requested", "held", "CPU busy", "I/O stall", "available"])
        #expect(attribute("data-name", of: "line", class: "level", in: svg) == ["floor"])
        #expect(svg.contains(">floor 1 GiB</text>"))
        // Every sample is a point: a 10 s attack is a curve of 41, not four dots.
        let available = svg.split(separator: "\n").first { $0.contains("data-name=\"available\"") }
        #expect(available.map { attribute("points", of: "polyline", class: "series", in: String($0)).first?.split(separator: " ").count } == 41)
        // The window spans the attack's 10 s from the time axis's 0.
        let chart = ReportChart(report)
        #expect(attribute("x", of: "rect", class: "window", in: svg).allSatisfy { $0 == SVGWriter.number(chart.time.position(0)) })
        #expect(attribute("width", of: "rect", class: "window", in: svg).allSatisfy {
            $0 == SVGWriter.number(chart.time.position(10) - chart.time.position(0))
        })
        #expect(svg.contains("completed · cleanup verified"))
    }

    @Test func killsComebacksAndTheEndAreMarkedAcrossEveryPanel() throws {
        var report = try report(kind: .kill, outcome: .guardTripped(guard: "memory-floor", reason: "low"), stoppedAfter: 6)
        let web = ProcessCandidate(
            identity: ProcessIdentity(pid: 4242, startTime: 1), command: "<web&\"1\">", commandLine: "web", userID: 0, cgroup: "/",
            isKernelThread: false)
        report.processes = ProcessMeasurements(
            hits: [ProcessHit(elapsed: 1, process: web, signal: "SIGKILL", delivered: true)],
            comebacks: [ProcessComeback(killedPID: 4242, newPID: 4300, secondsAfterKill: 2.5)])
        let svg = ReportChart(report).svg

        #expect(attribute("data-kind", of: "line", class: "event", in: svg) == Array(repeating: ["kill", "comeback", "end"], count: 2).flatMap { $0 })
        #expect(svg.contains(">SIGKILL &lt;web&amp;&quot;1&quot;&gt; 4242</text>"), "the process name is the user's text, escaped")
        #expect(!svg.contains("<web"))
        #expect(svg.contains(">back 4300 (2.50 s)</text>"))
        #expect(svg.contains(">guard memory-floor</text>"))
    }

    @Test func manyEventsAreLinesWithoutLabels() throws {
        var report = try report(kind: .kill)
        let web = ProcessCandidate(
            identity: ProcessIdentity(pid: 1, startTime: 1), command: "web", commandLine: "web", userID: 0, cgroup: "/", isKernelThread: false)
        report.processes = ProcessMeasurements(hits: (0..<20).map { ProcessHit(elapsed: Double($0) / 2, process: web, signal: "SIGKILL", delivered: true) })
        let svg = ReportChart(report).svg
        #expect(attribute("data-kind", of: "line", class: "event", in: svg).count == 40)
        #expect(!svg.contains("class=\"event-label\""))
    }

    @Test func abortConditionsAreARowOfChecksEach() throws {
        var report = try report(outcome: .aborted(condition: "tcp 127.0.0.1:80", reason: "refused"), stoppedAfter: 3)
        report.abortConditions = [
            ConditionTimeline(
                condition: "tcp 127.0.0.1:80", unit: "ms", source: .request,
                evaluations: [
                    ConditionEvaluation(elapsed: 0, value: 1, passed: true, detail: "connected"),
                    ConditionEvaluation(elapsed: 1, value: 1, passed: true, detail: "connected"),
                    ConditionEvaluation(elapsed: 2, value: nil, passed: false, detail: "refused"),
                ])
        ]
        let svg = ReportChart(report).svg
        #expect(svg.components(separatedBy: "class=\"check passed\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "class=\"check failed\"").count - 1 == 1)
        #expect(svg.contains(">abort: tcp 127.0.0.1:80</text>"))
    }

    /// A report saved before the timeline had rates or the window: drawn
    /// from what it has, the window ending at its last sample before cleanup.
    @Test func anOlderReportStillDraws() throws {
        let report = try report(
            stoppedAfter: nil,
            timeline: [0, 1, 2, 2.1].map { HostSample(elapsed: $0, memoryAvailableBytes: 1 << 32, loadAverage1: 0.5) })
        let chart = ReportChart(report)
        #expect(chart.windowEnd == 2)
        #expect(attribute("data-name", of: "polyline", class: "series", in: chart.svg) == ["available"])
    }

    /// An attack that did not start has no samples: the chart says so.
    @Test func aReportWithoutSamplesSaysThereIsNothingToDraw() throws {
        let svg = ReportChart(try report(outcome: .failed(reason: "refused"), stoppedAfter: nil, timeline: [])).svg
        #expect(svg.contains(">Nothing to draw: the attack recorded no samples (it did not start).</text>"))
        #expect(!svg.contains("class=\"panel\""))
    }

    @Test func aFlatZeroCurveStillGetsAnAxis() {
        let panel = ChartPanel(title: "t", unit: .cores, series: [.init(name: "n", color: "#000000", points: [.init(elapsed: 0, value: 0)])])
        #expect(panel.largest == 1)
    }

    @Test(arguments: [(0.7, 1.0), (3.0, 5.0), (12.0, 20.0), (0.013, 0.02), (1.0, 1.0), (250.0, 500.0)])
    func stepsAreOneTwoOrFiveTimesAPowerOfTen(rough: Double, step: Double) {
        #expect(abs(ChartAxis.roundStep(rough) - step) < step * 1e-9)
    }

    @Test func byteAxesReadInTheirBinaryUnit() {
        let axis = ChartAxis(largest: 300 * 1_048_576, unit: .bytes, from: 100, to: 0, tickCount: 4)
        #expect(axis.ticks.map(axis.label) == ["0 MiB", "100 MiB", "200 MiB", "300 MiB"])
        #expect(axis.position(0) == 100 && axis.position(axis.upper) == 0)
        #expect(ChartAxis(largest: 100, unit: .percent, from: 0, to: 1).ticks.map { $0 } == [0, 20, 40, 60, 80, 100])
    }

    @Test func controlCharactersAndMarkupAreEscaped() {
        #expect(SVGWriter.escape("a<b>&\"c'\u{1}\n") == "a&lt;b&gt;&amp;&quot;c&apos;  ")
    }
}
