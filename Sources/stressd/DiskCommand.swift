import ArgumentParser
import StressCore

/// `stressd disk`: fill a file system now, in the foreground.
struct DiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disk",
        abstract: "Fill a file system for a bounded time.",
        discussion: """
            Writes files into a folder of its own, PATH/.stressd-fill-ID/, recorded in the \
            ledger before the first byte and deleted at the end (or by `stressd cleanup` \
            after a crash or a reboot). Uses fallocate where the file system supports it, \
            else writes zeros. Sizes and percentages follow df: what unprivileged users \
            can still allocate (Avail), not the blocks reserved for root. A guard stops \
            the attack within 250 ms if free space falls below the floor; another writer \
            filling the disk first (ENOSPC) is recorded, not an error. PATH may belong to \
            another user: the folder and its files are made and deleted through \
            descriptors stressd holds, so renaming the folder or linking something in \
            its place redirects nothing (the report then says what was left).

            Examples:
              stressd disk --path /var/lib/app --size 10G --duration 60s
              stressd disk --path /var/lib/app --fill-to 95% --duration 5m
              stressd disk --path /tmp --leave 1G --duration 30s
              stressd disk --path /tmp --leave 10% --duration 30s

            \(ExitStatus.helpText)
            """
    )

    @Option(help: ArgumentHelp("A directory on the file system to fill (absolute, not itself a symbolic link).", valueName: "dir"))
    var path: String

    @Option(help: ArgumentHelp("How much to write: 512M, 10G.", valueName: "size"))
    var size: String?

    @Option(name: .customLong("fill-to"), help: ArgumentHelp("Instead of --size: fill until the file system is this full (df's Use%).", valueName: "percent"))
    var fillTo: String?

    @Option(help: ArgumentHelp("Instead of --size: fill until only this much is free: 1G, or a share of the file system such as 10% (df's view, so --leave 10% fills as --fill-to 90%).", valueName: "size"))
    var leave: String?

    @Flag(name: .customLong("include-reserved"), help: "Count root's reserved blocks as fillable (only reachable with --floor 0).")
    var includeReserved = false

    @OptionGroup var diskFloor: DiskFloorOption

    @OptionGroup var options: AttackOptions

    func run() async throws {
        var parameters = FlatParameters(["path": path])
        parameters["size"] = size
        parameters["fill-to"] = fillTo
        parameters["leave"] = leave
        parameters["include-reserved"] = includeReserved ? "true" : nil
        try await options.launch(kind: .disk, parameters: parameters) { policy throws(InputError) in
            try diskFloor.apply(to: &policy)
        }
    }
}
