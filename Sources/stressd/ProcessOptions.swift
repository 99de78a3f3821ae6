import ArgumentParser
import StressCore

/// How kill and pause choose their targets.
struct ProcessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Processes whose name (comm) is exactly this.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp(
        "Processes whose command line matches this regular expression, searched anywhere in it as by grep -E: . [a-z] \\d \\w \\s ^ $ \\b ( ) (?: ) | * + ? {n,m}; no backreferences or lookaround, so matching takes linear time. Only the first \(ProcessCandidate.commandLineLimit) bytes of a command line are read and matched.",
        valueName: "regex"))
    var match: String?

    @Option(help: ArgumentHelp("The process with this pid.", valueName: "pid"))
    var pid: String?

    @Option(help: ArgumentHelp("The processes of this systemd unit (found by its cgroup).", valueName: "unit"))
    var unit: String?

    @Option(help: ArgumentHelp("The processes in this cgroup and below (as /proc/PID/cgroup shows it).", valueName: "path"))
    var cgroup: String?

    @Option(help: ArgumentHelp("How many matching processes to hit, picked at random (default 1).", valueName: "n"))
    var count: String?

    @Flag(help: "Hit every matching process.")
    var all = false

    @Flag(help: "Hit the oldest matching process.")
    var oldest = false

    @Flag(help: "Hit the newest matching process.")
    var newest = false

    @Option(help: ArgumentHelp("Seed for the random pick, to repeat it exactly.", valueName: "n"))
    var seed: String?

    @Flag(name: .customLong("allow-none"), help: "A selector that matches nothing is not a failure.")
    var allowNone = false

    @Flag(name: .customLong("allow-protected"), help: "Allow the protected names (sshd, systemd-journald) and the init of another pid namespace (a container's: ending it ends the container); PID 1, stressd, kernel threads and thread ids stay off limits.")
    var allowProtected = false

    var parameters: FlatParameters {
        var flat = FlatParameters()
        flat["name"] = name
        flat["match"] = match
        flat["pid"] = pid
        flat["unit"] = unit
        flat["cgroup"] = cgroup
        flat["count"] = count
        flat["all"] = all ? "true" : nil
        flat["oldest"] = oldest ? "true" : nil
        flat["newest"] = newest ? "true" : nil
        flat["seed"] = seed
        flat["allow-none"] = allowNone ? "true" : nil
        flat["allow-protected"] = allowProtected ? "true" : nil
        return flat
    }
}
