/// A moment a chart marks with a line across every panel: a process hit or
/// back, an OOM kill, and how the attack ended when something ended it.
struct ChartEvent {
    enum Kind: String {
        case kill, comeback, pause, resume, oomKill = "oom-kill", end

        var color: String {
            switch self {
            case .kill, .oomKill: return ChartPalette.achieved
            case .comeback, .resume: return ChartPalette.passed
            case .pause: return ChartPalette.cpuPressure
            case .end: return ChartPalette.floor
            }
        }
    }

    var elapsed: Double
    var kind: Kind
    var label: String

    /// The report's events in time order: hits and comebacks, OOM kills,
    /// and the end when a stop, a guard or an abort condition decided it.
    static func events(of report: AttackReport) -> [ChartEvent] {
        var events: [ChartEvent] = []
        if let processes = report.processes {
            var killedAt: [Int32: Double] = [:]
            for hit in processes.hits where hit.delivered {
                let pid = hit.process.pid
                switch hit.signal {
                case "SIGSTOP": events.append(ChartEvent(elapsed: hit.elapsed, kind: .pause, label: "pause \(pid)"))
                case "SIGCONT": events.append(ChartEvent(elapsed: hit.elapsed, kind: .resume, label: "resume \(pid)"))
                default:
                    killedAt[pid] = hit.elapsed
                    events.append(ChartEvent(elapsed: hit.elapsed, kind: .kill, label: "\(hit.signal) \(hit.process.command) \(pid)"))
                }
            }
            for comeback in processes.comebacks {
                guard let killed = killedAt[comeback.killedPID] else { continue }
                events.append(ChartEvent(
                    elapsed: killed + comeback.secondsAfterKill, kind: .comeback,
                    label: "back \(comeback.newPID) (\(comeback.secondsAfterKill.fixed(2)) s)"))
            }
        }
        for kill in report.memory?.oomKills ?? [] {
            events.append(ChartEvent(elapsed: kill.elapsed, kind: .oomKill, label: "OOM kill \(kill.pid)"))
        }
        if let end = report.stoppedAfterSeconds {
            switch report.outcome {
            case .completed, .failed, .oomKilled: break
            case .stopped: events.append(ChartEvent(elapsed: end, kind: .end, label: "stopped"))
            case .guardTripped(let name, _): events.append(ChartEvent(elapsed: end, kind: .end, label: "guard \(name)"))
            case .aborted(let condition, _): events.append(ChartEvent(elapsed: end, kind: .end, label: "abort: \(condition)"))
            }
        }
        return events.sorted { $0.elapsed < $1.elapsed }
    }
}
