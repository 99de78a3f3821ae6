import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// The body of `stressd worker io`: lays out its file in the folder its
/// supervisor opened and handed it as fd 3, then reads and writes it until
/// its deadline (`IOLoad`), writing its totals to fd 1, a pipe to the
/// supervisor, about every 100 ms (`IOWorkerReport`). It never walks a path
/// and never deletes anything: the folder's undo removes its file.
/// - Important: runs in its own process and blocks its main thread; it ends
///   the process when the supervisor goes away.
public struct IOWorker {
    public let job: IOWorkerJob
    /// CLOCK_MONOTONIC nanoseconds.
    public let deadline: UInt64
    public let parent: Int32
    /// The descriptor of the attack's folder, opened by the supervisor.
    static let folderDescriptor: CInt = 3

    public init(job: IOWorkerJob, deadline: UInt64, parent: Int32) {
        self.job = job
        self.deadline = deadline
        self.parent = parent
    }

    private static func complain(_ message: String) {
        StandardStream.error.write("stressd worker io: \(message)\n")
    }

    /// Exit status: 0 at the deadline, 3 if the supervisor was already
    /// gone, 2 for a job that makes no sense, 5 when the I/O itself failed
    /// (the disk filled up under a copy-on-write file system, EIO).
    public func run() -> Int32 {
        do {
            try WorkerTether.begin(parent: parent, deadline: deadline) { _ in }
        } catch {
            return error.exitStatus
        }
        // A supervisor slow to read must not stall the load: a line that
        // does not fit in the pipe is dropped, and the next has the totals.
        _ = fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) | O_NONBLOCK)
        let configuration: IOLoad.Configuration
        do {
            configuration = try IOLoad.Configuration(
                fileName: job.fileName, workingSetBytes: job.bytes, blockBytes: job.blockBytes, readFraction: job.readFraction,
                pace: job.pace, directIO: job.direct, sequential: job.sequential, seed: job.seed)
        } catch {
            Self.complain("\(error)")
            return 2
        }
        let folder = OpenDirectory.adopt(descriptor: Self.folderDescriptor, path: FilePath("fd \(Self.folderDescriptor)"))
        let load: IOLoad
        do {
            load = try IOLoad.prepare(in: folder, configuration)
        } catch {
            Self.complain("cannot lay out its \(ByteCount(bytes: job.bytes)) working set: \(error)")
            return 5
        }
        if job.direct, load.directIOFellBack {
            Self.complain("the file system refused direct I/O (O_DIRECT); loading it through the page cache instead")
        }
        var report = IOWorkerReport(layoutNanoseconds: load.layoutNanoseconds, direct: load.isDirect)
        Self.send(report)
        do {
            _ = try load.run(until: deadline, report: { totals in
                report.totals = totals
                Self.send(report)
            })
        } catch {
            Self.complain("\(error)")
            return 5
        }
        return 0
    }

    /// One write of the whole line, or none (EAGAIN: the pipe is full).
    private static func send(_ report: IOWorkerReport) {
        var line = report.line
        line.withUTF8 { bytes in
            _ = Glibc.write(STDOUT_FILENO, bytes.baseAddress, bytes.count)
        }
    }
}
