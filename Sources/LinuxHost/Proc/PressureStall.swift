import StressCore
import SystemPackage

/// `/proc/pressure/{cpu,memory,io}`: pressure stall information (PSI), the
/// share of time tasks waited for a resource. Better than load or usage at
/// telling whether an attack hurts: 100% CPU use with no stall is harmless.
///
/// Format (kernel PSI docs):
/// ```
/// some avg10=0.21 avg60=5.43 avg300=4.03 total=18575167
/// full avg10=0.00 avg60=0.00 avg300=0.00 total=0
/// ```
/// `some`: at least one task stalled; `full`: all non-idle tasks stalled at
/// once. Averages are percentages over 10 s, 60 s and 300 s; `total` is in
/// microseconds. The `cpu` file had no `full` line before Linux 5.13.
/// Unknown `key=value` pairs are ignored, so new kernels keep parsing.
/// https://docs.kernel.org/accounting/psi.html
public struct PressureStall: Hashable, Sendable {
    /// The files under /proc/pressure.
    public enum Resource: String, Sendable, CaseIterable {
        case cpu, memory, io
    }

    /// One `some` or `full` line: the snapshot's type, so nothing converts.
    public typealias Averages = HostSnapshot.StallAverages

    public var some: Averages
    public var full: Averages?

    public init(parsing text: String, file: String = "pressure") throws(HostError) {
        var some: Averages?
        var full: Averages?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            var values: [Substring: Substring] = [:]
            for pair in words.dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            guard let avg10 = values["avg10"].flatMap({ Double(finite: $0) }),
                  let avg60 = values["avg60"].flatMap({ Double(finite: $0) }),
                  let avg300 = values["avg300"].flatMap({ Double(finite: $0) }),
                  let total = values["total"].flatMap({ UInt64($0) })
            else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'avg10=… avg60=… avg300=… total=…'")
            }
            let averages = Averages(avg10: avg10, avg60: avg60, avg300: avg300, totalMicroseconds: total)
            switch words.first {
            case "some": some = averages
            case "full": full = averages
            default:
                throw .unparsable(file: file, text: String(line), reason: "line starts with neither 'some' nor 'full'")
            }
        }
        guard let some else {
            throw .unparsable(file: file, text: text, reason: "no 'some' line")
        }
        self.some = some
        self.full = full
    }
}

extension ProcFS {
    /// PSI for one resource, or nil when the kernel does not offer it: no
    /// /proc/pressure (before 4.20, `CONFIG_PSI=n`) or `psi=0` on the kernel
    /// command line (the files exist but reading fails with EOPNOTSUPP).
    /// The same through `held`, for a guard reading it ten times a second
    /// without opening a file each time.
    public func pressure(_ resource: PressureStall.Resource, through held: HeldFiles) throws(HostError) -> PressureStall? {
        let path = file("pressure").appending(resource.rawValue)
        let text: String?
        do {
            text = try held.text(path)
        } catch {
            if error.errno == .notSupported { return nil }
            throw error
        }
        return try text.map { text throws(HostError) in try PressureStall(parsing: text, file: path.string) }
    }

    public func pressure(_ resource: PressureStall.Resource) throws(HostError) -> PressureStall? {
        let path = file("pressure").appending(resource.rawValue)
        let text: String
        do {
            text = try read(path)
        } catch {
            if error.errno == .noSuchFileOrDirectory || error.errno == .notSupported { return nil }
            throw error
        }
        return try PressureStall(parsing: text, file: path.string)
    }
}
