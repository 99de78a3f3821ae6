import CLinux
import Glibc
import LinuxHost
import SystemPackage

/// What a supervisor asks a worker process to do, and the command line that
/// carries it: `stressd worker cpu --load 0.5 --deadline NS --parent PID`.
///
/// Both directions live here because only stressd writes and reads this
/// command line. It is read by hand, before swift-argument-parser: its
/// reflection costs ~5 ms per process, which every CPU and memory worker
/// would pay between the attack's start and its effect.
public struct WorkerInvocation: Equatable, Sendable {
    public enum Job: Equatable, Sendable {
        /// `cpu`: pinned to that CPU, or placed by the scheduler when nil.
        case cpu(load: Double, cpu: Int?)
        case memory(bytes: UInt64, ratePerSecond: UInt64?, lock: Bool)
        /// Loads the file system of its fd 3 (a directory), reporting on fd 1.
        case io(IOWorkerJob)
    }

    /// The command line was not one stressd writes.
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public var job: Job
    /// CLOCK_MONOTONIC nanoseconds: the worker's own time box.
    public var deadline: UInt64
    /// The supervisor's pid: the worker refuses to start if it is gone.
    public var parent: Int32

    public init(job: Job, deadline: UInt64, parent: Int32) {
        self.job = job
        self.deadline = deadline
        self.parent = parent
    }

    /// The options that take no value.
    static let flags: Set<String> = ["--lock", "--direct", "--sequential"]

    /// The arguments after the executable's path.
    public var arguments: [String] {
        var arguments = ["worker"]
        switch job {
        case .cpu(let load, let cpu):
            arguments += ["cpu", "--load", String(load)]
            if let cpu { arguments += ["--cpu", String(cpu)] }
        case .memory(let bytes, let rate, let lock):
            arguments += ["mem", "--bytes", String(bytes)]
            if let rate { arguments += ["--rate", String(rate)] }
            if lock { arguments.append("--lock") }
        case .io(let job):
            arguments += job.arguments
        }
        return arguments + ["--deadline", String(deadline), "--parent", String(parent)]
    }

    /// Reads `arguments` (after the executable's path), the inverse of `arguments`.
    public init(parsing arguments: [String]) throws(Malformed) {
        guard arguments.count >= 2, arguments[0] == "worker" else {
            throw Malformed(description: "expected `worker cpu|mem|io ...`")
        }
        var options: [String: String] = [:]
        var flags: Set<String> = []
        var rest = arguments.dropFirst(2)
        while let name = rest.popFirst() {
            guard name.hasPrefix("--") else { throw Malformed(description: "unexpected argument \(name)") }
            if Self.flags.contains(name) {
                flags.insert(name)
            } else if let value = rest.popFirst() {
                options[name] = value
            } else {
                throw Malformed(description: "\(name) needs a value")
            }
        }
        func value<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws(Malformed) -> T {
            guard let text = options.removeValue(forKey: name) else { throw Malformed(description: "missing \(name)") }
            guard let value = T(text) else { throw Malformed(description: "\(name) \(text) is not a \(T.self)") }
            return value
        }
        switch arguments[1] {
        case "cpu":
            let cpu: Int? = options["--cpu"] == nil ? nil : try value("--cpu", as: Int.self)
            if let cpu, cpu < 0 { throw Malformed(description: "--cpu \(cpu) is not a CPU number") }
            job = .cpu(load: try value("--load", as: Double.self), cpu: cpu)
        case "mem":
            let rate: UInt64? = options["--rate"] == nil ? nil : try value("--rate", as: UInt64.self)
            job = .memory(bytes: try value("--bytes", as: UInt64.self), ratePerSecond: rate, lock: flags.contains("--lock"))
            flags.remove("--lock")
        case "io":
            job = .io(try IOWorkerJob(taking: { name throws(Malformed) in options.removeValue(forKey: name) }, flags: flags))
            flags.subtract(["--direct", "--sequential"])
        default:
            throw Malformed(description: "unknown worker kind \(arguments[1])")
        }
        if let flag = flags.sorted().first { throw Malformed(description: "\(flag) is not for \(arguments[1]) workers") }
        deadline = try value("--deadline", as: UInt64.self)
        parent = try value("--parent", as: Int32.self)
        if let unknown = options.keys.sorted().first { throw Malformed(description: "unknown option \(unknown)") }
    }

    /// Does the work; the process's exit status.
    public func run() -> Int32 {
        switch job {
        case .cpu(let load, let cpu):
            // Before any thread starts: threads inherit the mask.
            if let cpu, stressd_pin_to_cpu(Int32(cpu)) != 0 {
                StandardStream.error.write("stressd worker: cannot pin to CPU \(cpu): \(Errno(rawValue: errno))\n")
                return 1
            }
            return CPUWorker(initialLoad: load, deadline: deadline, parent: parent).run()
        case .memory(let bytes, let rate, let lock):
            return MemoryWorker(bytes: bytes, ratePerSecond: rate, lock: lock, deadline: deadline, parent: parent).run()
        case .io(let job):
            return IOWorker(job: job, deadline: deadline, parent: parent).run()
        }
    }
}
