/// What a CPU attack does: burn `load` of each of `cores` cores, either on
/// top of whatever already runs (`added`, as stress-ng and Gremlin do) or
/// topping the host (or its cgroup) up to `load` in total (`total`).
public struct CPUSpec: Hashable, Sendable {
    /// How the requested load relates to the load that is already there.
    public enum Mode: String, Codable, Hashable, Sendable {
        /// Each worker burns `load` of a core, whatever else runs.
        case added
        /// The workers adapt so that the whole scope is busy at `load`.
        case total
    }

    public var load: Percentage
    public var cores: CoreSelection
    public var mode: Mode

    public init(load: Percentage, cores: CoreSelection, mode: Mode = .added) {
        self.load = load
        self.cores = cores
        self.mode = mode
    }

    /// The smallest load that is honoured; below it the duty cycle would be
    /// shorter than the scheduler's resolution.
    public static let minimumLoad = Percentage(fraction: 0.01)

    func validate(capacity: CPUCapacity) throws(InputError) {
        guard load >= Self.minimumLoad, load.fraction <= 1 else {
            throw .outOfRange(field: "load", value: load.description, allowed: "from 1% to 100%")
        }
        switch cores {
        case .all:
            break
        case .count(let count):
            guard count <= capacity.workerSlots else {
                throw .outOfRange(
                    field: "cores", value: String(count),
                    allowed: "this host lets stressd use \(capacity.workerSlots) (\(capacity.description)); use --cores all or a number up to \(capacity.workerSlots)")
            }
        case .pinned(let list):
            // Unknown (nil) only in tests: every host reading fills it in.
            guard let allowed = capacity.allowedCPUs else { break }
            guard list.isSubset(of: allowed) else {
                throw .outOfRange(
                    field: "cpus", value: list.description,
                    allowed: "stressd may run on CPUs \(allowed) (its affinity mask); pick from those")
            }
        }
    }

    /// How many worker processes run: one per core requested.
    public func workerCount(capacity: CPUCapacity) -> Int {
        switch cores {
        case .all: return capacity.workerSlots
        case .count(let count): return count
        case .pinned(let list): return list.count
        }
    }

    /// The share of one core each worker burns. Percentages are of what the
    /// process can really use: under a CPU quota of 1.5 cores, `--cores all
    /// --load 100%` runs two workers at 75% each, not two at 100% that the
    /// quota would throttle unevenly.
    /// The CPU each worker is pinned to, in worker order; nil when the
    /// scheduler places them.
    public var pinnedCPUs: [Int]? {
        if case .pinned(let list) = cores { return list.cpus }
        return nil
    }

    public func loadPerWorker(capacity: CPUCapacity) -> Double {
        let workers = Double(workerCount(capacity: capacity))
        return load.fraction * min(1, capacity.cores / workers)
    }
}
