import LinuxHost
import StressCore

/// The report's timeline of the host: what the attack drives and what its
/// guards watch, four times a second, so a chart of a 10 s attack is a
/// curve. Rates (CPU busy, stall time) are differences of the kernel's
/// running totals since the sample before, which is why this keeps the
/// last totals read. A value the host cannot give is left out of its
/// sample: the timeline shows the host, the guards judge it.
struct HostTimeline {
    static let interval: Duration = .milliseconds(250)
    /// 600 samples are 2.5 minutes at full rate; longer attacks are thinned
    /// evenly (`BoundedSeries`).
    static let capacity = 600

    private let reader: HostReader
    private var series = BoundedSeries<HostSample>(capacity: capacity)
    private var lastCPU: CPUTimes?
    private var lastStallMicroseconds: [PressureStall.Resource: UInt64] = [:]
    private var lastElapsed: Double?

    init(reader: HostReader) {
        self.reader = reader
    }

    /// Reads the host now and keeps the sample if the series has room for it.
    mutating func record(elapsed: Double) {
        series.append(sample(elapsed: elapsed))
    }

    /// The samples with a last one read now (after cleanup), which is
    /// always kept: it shows what the host got back.
    mutating func finish(elapsed: Double) -> [HostSample] {
        series.elements + [sample(elapsed: elapsed)]
    }

    private mutating func sample(elapsed: Double) -> HostSample {
        let environment = reader.environment
        let held = reader.held
        var sample = HostSample(
            elapsed: elapsed, memoryAvailableBytes: (try? environment.memoryGauge().read(through: held))?.available,
            loadAverage1: (try? environment.procFS.loadAverage(through: held))?.one)
        let seconds = lastElapsed.map { elapsed - $0 } ?? 0
        lastElapsed = elapsed
        let cpu = try? environment.procFS.cpuTimes(through: held)
        if let cpu, let lastCPU, let busy = cpu.all.busyFraction(since: lastCPU.all) {
            sample.cpuBusyPercent = busy * 100
        }
        lastCPU = cpu
        for resource in PressureStall.Resource.allCases {
            let total = (try? environment.procFS.pressure(resource, through: held))??.some.totalMicroseconds
            defer { lastStallMicroseconds[resource] = total }
            guard let total, let last = lastStallMicroseconds[resource], seconds > 0 else { continue }
            let percent = min(100, Double(total &- min(last, total)) / (seconds * 1e6) * 100)
            switch resource {
            case .cpu: sample.cpuPressurePercent = percent
            case .memory: sample.memoryPressurePercent = percent
            case .io: sample.ioPressurePercent = percent
            }
        }
        var disk: [String: UInt64] = [:]
        for (path, directory) in reader.watchedDirectories {
            disk[path] = try? directory.capacity().availableBytes
        }
        sample.diskAvailableBytes = disk.isEmpty ? nil : disk
        return sample
    }
}
