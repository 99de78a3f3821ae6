import ArgumentParser
import StressCore

/// `stressd io`: load a file system's device now, in the foreground.
struct IOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "io",
        abstract: "Keep a disk busy with reads and writes for a bounded time.",
        discussion: """
            Worker processes (in the attack's cgroup) read and write blocks of a working \
            set in files of their own, in PATH/.stressd-fill-ID/ (ID starts with io-), a folder recorded in the \
            ledger before it exists and deleted at the end (or by `stressd cleanup` after \
            a crash or a reboot). Direct I/O (O_DIRECT) by default, so the load reaches \
            the device and not the page cache; a file system that refuses it is loaded \
            buffered and the report says so. Random offsets by default, all writes unless \
            --read says otherwise, as fast as the device allows unless --rate or --iops \
            paces it (split evenly between the workers). The report gives the bandwidth \
            and IOPS achieved against what was asked, a sample a second, latency \
            percentiles of the workers' own I/Os, and the device's own counters \
            (/proc/diskstats). The disk floor holds for the working set, and a guard \
            stops the attack if free space falls below it.

            Examples:
              stressd io --path /var/lib/app --duration 30s
              stressd io --path /var/lib/app --read 70% --block-size 4K --iops 2000 --duration 1m
              stressd io --path /data --pattern sequential --block-size 1M --rate 200M/s --workers 2

            \(ExitStatus.helpText)
            """
    )

    @Option(help: ArgumentHelp("A directory on the file system to load (absolute, not itself a symbolic link).", valueName: "dir"))
    var path: String

    @Option(help: ArgumentHelp("The share of operations that are reads; the rest are writes (default 0%: writes only).", valueName: "percent"))
    var read: String?

    @Option(name: .customLong("block-size"), help: ArgumentHelp("Bytes per read or write: a multiple of 512, up to 16M (default 64K).", valueName: "size"))
    var blockSize: String?

    @Option(help: ArgumentHelp("The working set, split between the workers' files (default 256M).", valueName: "size"))
    var size: String?

    @Option(help: ArgumentHelp("Worker processes, 1 to 64 (default 1).", valueName: "n"))
    var workers: String?

    @Option(help: ArgumentHelp("random or sequential (default random).", valueName: "pattern"))
    var pattern: String?

    @Option(help: ArgumentHelp("Pace all workers together to this many bytes per second: 200M/s (default: as fast as the device allows).", valueName: "rate"))
    var rate: String?

    @Option(help: ArgumentHelp("Instead of --rate: pace to this many operations per second.", valueName: "n"))
    var iops: String?

    @Flag(help: "Go through the page cache instead of direct I/O.")
    var buffered = false

    @Option(name: .customLong("max-io-pressure"), help: ArgumentHelp("Guard: stop if the host's I/O pressure (PSI some avg10, a 10 s average) rises above this: 60%.", valueName: "percent"))
    var maxIOPressure: String?

    @OptionGroup var diskFloor: DiskFloorOption

    @OptionGroup var options: AttackOptions

    func run() async throws {
        var parameters = FlatParameters(["path": path])
        parameters["read"] = read
        parameters["block-size"] = blockSize
        parameters["size"] = size
        parameters["workers"] = workers
        parameters["pattern"] = pattern
        parameters["rate"] = rate
        parameters["iops"] = iops
        parameters["buffered"] = buffered ? "true" : nil
        parameters["max-io-pressure"] = maxIOPressure
        try await options.launch(kind: .io, parameters: parameters) { policy throws(InputError) in
            try diskFloor.apply(to: &policy)
        }
    }
}
