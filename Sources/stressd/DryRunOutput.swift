import FoundationEssentials
import StressAgent
import StressCore

/// What `--dry-run` shows: every process the selector matches, which of
/// them may be hit and which are spared, and how victims will be picked.
/// The explicit approval careful teams want before each blast.
enum DryRunOutput {
    static func describe(_ survey: ProcessTargeting.Survey, spec: ProcessSpec, kind: AttackKind) -> String {
        var lines = ["dry run: \(kind.rawValue) would hit \(spec.pick.description) of these \(survey.eligible.count) process(es) matching \(spec.selector); nothing was touched"]
        lines.append("    PID  START(ticks)  UID  CGROUP  COMMAND")
        for process in survey.eligible.sorted(by: { $0.pid < $1.pid }) {
            lines.append("  \(String(process.pid).leftPadded(5))  \(String(process.startTime).leftPadded(12))  \(process.userID)  \(process.cgroup)  "
                + (process.commandLine.isEmpty ? "[\(process.command)]" : process.commandLine))
            if let namespace = process.pidNamespace {
                lines.append("         in another pid namespace (\(describe(namespace))): a container's process, not the host's")
            }
        }
        for (process, reason) in survey.spared {
            lines.append("  spared: pid \(process.pid) (\(process.command)): \(reason)")
        }
        return lines.joined(separator: "\n")
    }

    /// The same as JSON, for scripts and approval tools.
    static func json(_ survey: ProcessTargeting.Survey, spec: ProcessSpec, kind: AttackKind) throws -> [UInt8] {
        let plan = Plan(
            kind: kind, selector: spec.selector.description, pick: spec.pick.description,
            eligible: survey.eligible.sorted { $0.pid < $1.pid },
            spared: survey.spared.map { Plan.Spared(process: $0.0, reason: $0.1) })
        return Array(try JSONCoding.encoder.encode(plan)) + [UInt8(ascii: "\n")]
    }

    struct Plan: Encodable {
        struct Spared: Encodable {
            var process: ProcessCandidate
            var reason: String
        }

        var dryRun = true
        var kind: AttackKind
        var selector: String
        /// How victims would be picked among `eligible`.
        var pick: String
        var eligible: [ProcessCandidate]
        var spared: [Spared]
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
