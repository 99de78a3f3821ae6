import FoundationEssentials
import LinuxHost
import StressCore

/// What `--dry-run` prints: the attack's plan (`AttackPlan`) as text for a
/// person or JSON for an approval tool; nothing was started either way. A
/// plan that names a refusal exits 2, as the attack itself would.
struct PlanOutput {
    let json: Bool

    func emit(_ plan: AttackPlan) throws {
        if json {
            StandardStream.output.write(Array(try JSONCoding.encoder.encode(plan)) + [UInt8(ascii: "\n")])
        } else {
            TerminalText.print(Self.describe(plan))
        }
        if plan.refusal != nil { throw AttackFailed(code: ExitStatus.usage) }
    }

    static func describe(_ plan: AttackPlan) -> String {
        var lines = ["dry run (nothing was started): \(plan.kind.rawValue): \(plan.summary)"]
        let footprint = plan.footprint
        var work = [footprint.workers == 0 ? "no worker process (stressd acts itself)" : "\(footprint.workers) worker process(es)"]
        if let load = footprint.loadPerWorker { work.append("\(load) of a core each") }
        if let bytes = footprint.memoryBytes { work.append("holding \(ByteCount(bytes: bytes)) of memory") }
        if let bytes = footprint.diskBytes, let path = footprint.path { work.append("writing \(ByteCount(bytes: bytes)) under \(path)") }
        lines.append("  work: " + work.joined(separator: ", "))
        for floor in plan.floors {
            lines.append("  guard \(floor.name): " + describe(floor))
        }
        if plan.floors.isEmpty { lines.append("  guards: none for this kind") }
        if let targets = plan.targets { lines += describe(targets) }
        for condition in plan.abortConditions {
            let from = condition.source == .policy ? " (the agent's policy)" : ""
            for look in condition.evaluations {
                lines.append("  abort unless \(condition.condition)\(from): \(look.passed ? "holds" : "FAILS") now: \(look.detail)")
            }
        }
        if let refusal = plan.refusal { lines.append("would be refused: \(refusal)") }
        return lines.joined(separator: "\n")
    }

    /// `memory available 7.5 GiB now, 5.5 GiB after the attack, floor 512 MiB: margin 5.0 GiB`.
    private static func describe(_ floor: PlannedFloor) -> String {
        let show = { (value: Double) in floor.unit == "bytes" ? signedBytes(value) : "\(value.fixed(2))\(floor.unit)" }
        let now = floor.now.map { "\(show($0)) now" } ?? "unreadable now"
        guard let after = floor.afterAttack, let margin = floor.margin else {
            let room = floor.margin.map { ": room \(show($0))" } ?? ""
            return "\(floor.watches) \(now), cap \(show(floor.limit))\(room)"
        }
        return "\(floor.watches) \(now), \(show(after)) after the attack, floor \(show(floor.limit)): margin \(show(margin))"
    }

    private static func signedBytes(_ value: Double) -> String {
        value < 0 ? "-\(ByteCount(bytes: UInt64(-value)))" : ByteCount(bytes: UInt64(value)).description
    }

    private static func describe(_ targets: PlannedTargets) -> [String] {
        var lines = ["  targets: \(targets.pick) of these \(targets.eligible.count) process(es) matching \(targets.selector)"]
        lines.append("    PID  START(ticks)  UID  CGROUP  COMMAND")
        for process in targets.eligible {
            lines.append("  \(String(process.pid).leftPadded(5))  \(String(process.startTime).leftPadded(12))  \(process.userID)  \(process.cgroup)  "
                + TerminalText.field(process.commandLine.isEmpty ? "[\(process.command)]" : process.commandLine))
            if let namespace = process.pidNamespace {
                lines.append("         in another pid namespace (\(describe(namespace))): a container's process, not the host's")
            }
        }
        for spared in targets.spared {
            lines.append("  spared: pid \(spared.process.pid) (\(TerminalText.field(spared.process.command))): \(spared.reason)")
        }
        return lines
    }

    /// `pid:[4026532456], pid 7 inside it`.
    static func describe(_ namespace: PIDNamespace) -> String {
        "\(namespace.name ?? "unreadable"), pid \(namespace.innerPID) inside it"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
