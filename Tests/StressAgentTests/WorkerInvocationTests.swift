import LinuxHost
import StressAgent
import Testing

@Suite("The worker command line, written and read by stressd")
struct WorkerInvocationTests {
    @Test("reads back what it writes", arguments: [
        WorkerInvocation(job: .cpu(load: 0.375, cpu: nil), deadline: 123_456_789_000, parent: 4242),
        WorkerInvocation(job: .cpu(load: 1, cpu: 3), deadline: 5, parent: 6),
        WorkerInvocation(job: .memory(bytes: 268_435_456, ratePerSecond: nil, lock: false), deadline: 1, parent: 7),
        WorkerInvocation(job: .memory(bytes: 1 << 30, ratePerSecond: 256 << 20, lock: true), deadline: .max, parent: 1),
        WorkerInvocation(
            job: .io(IOWorkerJob(fileName: "fill-0000", bytes: 1 << 24, blockBytes: 4096, readFraction: 0.7, direct: true, sequential: false, seed: 9)),
            deadline: 3, parent: 4),
        WorkerInvocation(
            job: .io(IOWorkerJob(
                fileName: "fill-0001", bytes: 1 << 20, blockBytes: 512, readFraction: 0, pace: .bytesPerSecond(1 << 20), direct: false,
                sequential: true, seed: .max)),
            deadline: 3, parent: 4),
        WorkerInvocation(
            job: .io(IOWorkerJob(fileName: "fill-0002", bytes: 8192, blockBytes: 8192, readFraction: 1, pace: .operationsPerSecond(50), direct: true, sequential: true, seed: 0)),
            deadline: 3, parent: 4),
    ])
    func roundTrip(invocation: WorkerInvocation) throws {
        #expect(try WorkerInvocation(parsing: invocation.arguments) == invocation)
    }

    @Test func writesTheDocumentedShape() {
        let invocation = WorkerInvocation(job: .cpu(load: 0.5, cpu: nil), deadline: 99, parent: 12)
        #expect(invocation.arguments == ["worker", "cpu", "--load", "0.5", "--deadline", "99", "--parent", "12"])
    }

    @Test("refuses what stressd never writes", arguments: [
        ["worker"],
        ["cpu", "--load", "0.5", "--deadline", "1", "--parent", "2"],
        ["worker", "disk", "--deadline", "1", "--parent", "2"],
        ["worker", "cpu", "--deadline", "1", "--parent", "2"],
        ["worker", "cpu", "--load", "half", "--deadline", "1", "--parent", "2"],
        ["worker", "cpu", "--load", "0.5", "--deadline", "-1", "--parent", "2"],
        ["worker", "cpu", "--load", "0.5", "--deadline", "1"],
        ["worker", "cpu", "--load", "0.5", "--deadline", "1", "--parent"],
        ["worker", "cpu", "--load", "0.5", "--deadline", "1", "--parent", "2", "--lock"],
        ["worker", "cpu", "--load", "0.5", "--deadline", "1", "--parent", "2", "--bytes", "3"],
        ["worker", "cpu", "--load", "0.5", "--cpu", "-1", "--deadline", "1", "--parent", "2"],
        ["worker", "mem", "--bytes", "1", "--cpu", "0", "--deadline", "1", "--parent", "2"],
        ["worker", "mem", "--bytes", "3", "--deadline", "1", "--parent", "2", "stray"],
        ["worker", "mem", "--bytes", "3", "--direct", "--deadline", "1", "--parent", "2"],
        ["worker", "cpu", "--load", "0.5", "--sequential", "--deadline", "1", "--parent", "2"],
        ["worker", "io", "--file", "fill-0000", "--bytes", "4096", "--block-size", "4096", "--read", "1.5", "--seed", "1", "--deadline", "1", "--parent", "2"],
        ["worker", "io", "--file", "fill-0000", "--bytes", "0", "--block-size", "4096", "--read", "0", "--seed", "1", "--deadline", "1", "--parent", "2"],
        ["worker", "io", "--bytes", "4096", "--block-size", "4096", "--read", "0", "--seed", "1", "--deadline", "1", "--parent", "2"],
        ["worker", "io", "--file", "fill-0000", "--bytes", "4096", "--block-size", "4096", "--read", "0", "--seed", "1",
         "--rate", "5", "--iops", "5", "--deadline", "1", "--parent", "2"],
        ["worker", "io", "--file", "fill-0000", "--bytes", "4096", "--block-size", "4096", "--read", "nan", "--seed", "1", "--deadline", "1", "--parent", "2"],
        ["worker", "io", "--file", "fill-0000", "--bytes", "4096", "--block-size", "4096", "--read", "0", "--seed", "1", "--lock", "--deadline", "1", "--parent", "2"],
    ])
    func malformed(arguments: [String]) {
        #expect(throws: WorkerInvocation.Malformed.self) { try WorkerInvocation(parsing: arguments) }
    }
}
