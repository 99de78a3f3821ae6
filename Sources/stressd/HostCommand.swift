import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore

/// `stressd host`: what an attack would see before it starts — CPU, memory,
/// pressure, disks, cgroup limits and the busiest processes.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Show CPU, memory, pressure, disks, cgroup limits and top processes of this host.",
        discussion: """
            CPU usage is measured over --interval. Inside a cgroup with a CPU quota, \
            process CPU percentages are of the quota, the same base attack percentages use.
            """
    )

    @Flag(help: "Print one JSON document (sorted keys) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("How long to measure CPU usage over: 500ms, 1s, 5s (default 1s).", valueName: "duration"))
    var interval: String?

    @OptionGroup var remote: AgentOptions

    func run() async throws {
        if let client = try remote.client() {
            try AgentOptions.refuseLocalOnly("interval", given: interval != nil, why: "the agent measures over its own interval")
            try show(try await client.host(), cgroupRoot: "/sys/fs/cgroup")
            return
        }
        let interval = self.interval ?? "1s"
        let measured = try Duration.parse(interval, field: "--interval")
        guard measured >= .milliseconds(10), measured <= .seconds(60) else {
            throw InputError.outOfRange(field: "--interval", value: interval, allowed: "from 10ms to 60s")
        }
        try show(try await HostObserver(interval: measured).snapshot(), cgroupRoot: CgroupFS().root.string)
    }

    private func show(_ snapshot: HostSnapshot, cgroupRoot: String) throws {
        if json {
            let data = try JSONCoding.encoder.encode(snapshot)
            StandardStream.output.write(data + [UInt8(ascii: "\n")])
        } else {
            TerminalText.print(Self.text(snapshot, cgroupRoot: cgroupRoot), terminator: "")
        }
    }
}

extension HostCommand {
    /// The human form: one labelled line per topic, then small tables.
    static func text(_ snapshot: HostSnapshot, cgroupRoot: String) -> String {
        var lines: [String] = []
        let cpu = snapshot.cpu
        var cpuLine = "cpu:      \(cpu.capacity.onlineCPUs) usable of \(cpu.hostCPUs) online"
        if let allowed = cpu.capacity.allowedCPUs { cpuLine += " (CPUs \(allowed))" }
        if let busy = cpu.busyFraction, let cores = cpu.busyCores {
            cpuLine += ", host busy \(percent(busy * 100)) (\(decimal(cores)) cores) over \(Duration.seconds(snapshot.intervalSeconds).humanReadable)"
        }
        lines.append(cpuLine)
        let load = snapshot.load
        lines.append("load:     \(decimal(load.one)) \(decimal(load.five)) \(decimal(load.fifteen))  (\(load.runnable) runnable of \(load.entities) threads)")
        let memory = snapshot.memory
        lines.append("memory:   \(size(memory.availableBytes)) available of \(size(memory.totalBytes))"
            + (memory.swapTotalBytes > 0 ? ", swap \(size(memory.swapFreeBytes)) free of \(size(memory.swapTotalBytes))" : ", no swap"))
        if let pressure = snapshot.pressure {
            let parts = [("cpu", pressure.cpu), ("memory", pressure.memory), ("io", pressure.io)].compactMap { name, stall in
                stall.map { "\(name) \(percent($0.some.avg10))" + ($0.full.map { " (full \(percent($0.avg10)))" } ?? "") }
            }
            lines.append("pressure: " + parts.joined(separator: ", ") + "  (stalled, avg10)")
        } else {
            lines.append("pressure: not available (no /proc/pressure)")
        }
        lines += cgroupLines(snapshot.cgroup, root: cgroupRoot)

        lines.append("")
        lines.append("file systems:")
        lines += table(
            [["mounted on", "type", "size", "used", "avail", "use%"]] + snapshot.fileSystems.map { fs in
                let used = fs.sizeBytes - min(fs.sizeBytes, fs.freeBytes)
                let usable = used + fs.availableBytes
                return [fs.mountPoint, fs.type, size(fs.sizeBytes), size(used), size(fs.availableBytes),
                        usable > 0 ? percent(Double(used) / Double(usable) * 100, digits: 0) : "-"]
            },
            rightAligned: [2, 3, 4, 5]
        )

        let base = cpu.capacity.quotaCores.map { "of the \(decimal($0))-core cgroup quota" }
            ?? "of \(cpu.capacity.onlineCPUs) CPUs"
        lines.append("")
        lines.append("top by CPU (% \(base)):")
        lines += processTable(snapshot.topByCPU, empty: "no process used CPU during the interval")
        lines.append("")
        lines.append("top by memory:")
        lines += processTable(snapshot.topByMemory, empty: "no process has resident memory")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cgroupLines(_ cgroup: HostSnapshot.Cgroup, root: String) -> [String] {
        let layout: String
        switch cgroup.layout {
        case .v1: layout = "v1 (controllers under \(root))"
        case .v2: layout = "v2 (unified at \(cgroup.unifiedMount ?? root))"
        case .hybrid: layout = "hybrid (v1 controllers + cgroup2 at \(cgroup.unifiedMount ?? root + "/unified"))"
        case .none: layout = "none mounted"
        }
        var lines = ["cgroup:   " + layout]
        guard cgroup.layout != .none else { return lines }
        var memory = cgroup.memoryLimitBytes.map { "memory limit \(size($0))" } ?? "no memory limit"
        if let used = cgroup.memoryUsageBytes { memory += " (\(size(used)) used)" }
        let quota = cgroup.cpuQuotaCores.map { "CPU quota \(decimal($0)) cores" } ?? "no CPU quota"
        lines.append("          \(cgroup.path ?? "?"): \(memory), \(quota)")
        return lines
    }

    private static func processTable(_ processes: [HostSnapshot.ProcessUsage], empty: String) -> [String] {
        guard !processes.isEmpty else { return ["  (\(empty))"] }
        return table(
            [["pid", "command", "cpu%", "rss"]] + processes.map { process in
                [String(process.pid), TerminalText.field(process.command), percent(process.cpuPercent), size(process.rssBytes)]
            },
            rightAligned: [0, 2, 3]
        )
    }

    /// Columns padded to their widest cell, indented by two spaces.
    private static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return ("  " + cells.joined(separator: "  ")).trimmingTrailingSpaces()
        }
    }

    private static func size(_ bytes: UInt64) -> String { ByteCount(bytes: bytes).description }
    private static func decimal(_ value: Double) -> String { value.fixed(2) }
    private static func percent(_ value: Double, digits: Int = 1) -> String { value.fixed(digits) + "%" }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
