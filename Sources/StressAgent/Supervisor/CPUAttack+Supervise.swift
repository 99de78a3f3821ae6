import Foundation
import Glibc
import LinuxHost
import StressCore

extension CPUAttack {
    /// CPU ticks of each worker when it was told to start: the zero from
    /// which its achieved load is measured.
    func cpuTicks(of workers: [Worker]) -> [UInt64] {
        workers.map { (try? environment.procFS.processStat($0.process.pid))?.cpuTicks ?? 0 }
    }

    /// Samples the workers every `sampleInterval` until the deadline, a
    /// cancellation, or a worker dying on its own. Returns the outcome.
    func supervise(
        workers: [Worker], deadline: UInt64, stop: StopRequest, meter: (any CPUScopeMeter)?,
        samples: inout [CPUSample], progress: @Sendable (CPUSample, Duration) -> Void, startInstant: UInt64
    ) async -> AttackOutcome {
        var meter = meter
        _ = meter?.busyCoresSinceLastCall()
        var controller = totalController
        var target = initialLoadPerWorker
        var previousTicks = cpuTicks(of: workers)
        var previousInstant = MonotonicClock.now()
        let interval = UInt64(sampleInterval.seconds * 1e9)
        var nextSample = previousInstant + interval
        while true {
            let wake = min(nextSample, deadline)
            let now = MonotonicClock.now()
            if wake > now {
                try? await Task.sleep(for: .nanoseconds(Int64(wake - now)), tolerance: .microseconds(200))
            }
            if Task.isCancelled {
                return .stopped(reason: stop.requestedReason ?? "cancelled")
            }
            if MonotonicClock.now() >= deadline { return .completed }
            for worker in workers {
                if let termination = worker.process.reapIfExited() {
                    return .failed(reason: "worker \(worker.process.pid) \(termination) before the deadline")
                }
            }
            let ticks = cpuTicks(of: workers)
            let instant = MonotonicClock.now()
            let wall = Double(instant - previousInstant) / 1e9
            let loads = zip(ticks, previousTicks).map { Double($0 &- $1) / SystemConstants.clockTicksPerSecond / wall }
            let scopeBusy = meter?.busyCoresSinceLastCall()
            if cpu.mode == .total, let scopeBusy {
                target = controller.update(scopeBusyCores: scopeBusy, workersBusyCores: loads.reduce(0, +))
                workers.forEach { $0.control.send("load \(target)") }
            }
            let sample = CPUSample(
                elapsed: Double(instant - startInstant) / 1e9, workerLoads: loads,
                scopeBusyCores: scopeBusy, targetPerWorker: target)
            samples.append(sample)
            progress(sample, .nanoseconds(Int64(deadline > instant ? deadline - instant : 0)))
            previousTicks = ticks
            previousInstant = instant
            nextSample += interval
        }
    }
}
