extension ChartPanel {
    /// The panels of `report`, top to bottom: what the attack asked for
    /// against what it achieved, then the host's CPU and pressure, memory
    /// available and free disk space with the floors the guards held, and
    /// the abort conditions' checks. Panels with nothing to draw are left out.
    static func panels(of report: AttackReport) -> [ChartPanel] {
        var panels = [attack(report), hostCPU(report), memory(report)] + disks(report)
        if let conditions = report.abortConditions, !conditions.isEmpty {
            panels.append(ChartPanel(title: "Abort conditions", unit: .value, conditions: conditions))
        }
        return panels.compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// Requested against achieved, in the kind's own unit.
    private static func attack(_ report: AttackReport) -> ChartPanel? {
        if let cpu = report.cpu {
            var panel = ChartPanel(title: "CPU load of the attack", unit: .cores)
            panel.series = [
                Series(
                    name: "requested", color: ChartPalette.requested,
                    points: cpu.samples.map { Point(elapsed: $0.elapsed, value: $0.targetPerWorker * Double($0.workerLoads.count)) },
                    dashed: true),
                Series(
                    name: "achieved", color: ChartPalette.achieved,
                    points: cpu.samples.map { Point(elapsed: $0.elapsed, value: $0.workerLoads.reduce(0, +)) }),
            ]
            let scope = cpu.samples.compactMap { sample in sample.scopeBusyCores.map { Point(elapsed: sample.elapsed, value: $0) } }
            if !scope.isEmpty {
                panel.series.append(Series(name: "whole scope busy", color: ChartPalette.cpuBusy, points: scope))
            }
            return panel
        }
        if let memory = report.memory {
            var panel = ChartPanel(title: "Memory the attack holds", unit: .bytes)
            panel.series = [
                Series(
                    name: "requested", color: ChartPalette.requested,
                    points: memory.samples.map { Point(elapsed: $0.elapsed, value: Double($0.targetBytes)) }, dashed: true),
                Series(
                    name: "held", color: ChartPalette.achieved,
                    points: memory.samples.map { Point(elapsed: $0.elapsed, value: Double($0.residentBytes)) }),
            ]
            return panel
        }
        if let io = report.io {
            var panel = ChartPanel(title: "I/O bandwidth of the attack", unit: .bytesPerSecond)
            panel.series = [
                Series(
                    name: "achieved", color: ChartPalette.achieved,
                    points: io.samples.map { Point(elapsed: $0.elapsed, value: $0.bytesPerSecond) })
            ]
            if let requested = io.requestedBytesPerSecond {
                panel.levels = [Level(name: "requested", value: Double(requested), color: ChartPalette.requested)]
            }
            return panel
        }
        return nil
    }

    private static func hostCPU(_ report: AttackReport) -> ChartPanel {
        var panel = ChartPanel(title: "Host CPU busy and stalls (PSI some)", unit: .percent, fixedTop: 100)
        let curves: [(String, String, (HostSample) -> Double?)] = [
            ("CPU busy", ChartPalette.cpuBusy, { $0.cpuBusyPercent }),
            ("CPU stall", ChartPalette.cpuPressure, { $0.cpuPressurePercent }),
            ("memory stall", ChartPalette.memoryPressure, { $0.memoryPressurePercent }),
            ("I/O stall", ChartPalette.ioPressure, { $0.ioPressurePercent }),
        ]
        for (name, color, value) in curves {
            let points = report.timeline.compactMap { sample in value(sample).map { Point(elapsed: sample.elapsed, value: $0) } }
            if !points.isEmpty {
                panel.series.append(Series(name: name, color: color, points: points))
            }
        }
        return panel
    }

    private static func memory(_ report: AttackReport) -> ChartPanel {
        var panel = ChartPanel(title: "Host memory available", unit: .bytes)
        panel.series = [
            Series(
                name: "available", color: ChartPalette.memoryAvailable,
                points: report.timeline.compactMap { sample in
                    sample.memoryAvailableBytes.map { Point(elapsed: sample.elapsed, value: Double($0)) }
                })
        ]
        if let floor = report.guards?.memoryFloorBytes {
            panel.levels = [Level(name: "floor", value: Double(floor), color: ChartPalette.floor)]
        }
        return panel
    }

    /// A panel per path whose free space was read, with its floor, and for
    /// a fill the free space it aimed to leave.
    private static func disks(_ report: AttackReport) -> [ChartPanel] {
        let paths = Set(report.timeline.flatMap { ($0.diskAvailableBytes ?? [:]).keys }).sorted()
        return paths.map { path in
            var panel = ChartPanel(title: "Free space on \(path)", unit: .bytes)
            panel.series = [
                Series(
                    name: "free", color: ChartPalette.diskFree,
                    points: report.timeline.compactMap { sample in
                        sample.diskAvailableBytes?[path].map { Point(elapsed: sample.elapsed, value: Double($0)) }
                    })
            ]
            if let disk = report.disk, disk.path == path, disk.availableBeforeBytes >= disk.targetBytes {
                panel.levels.append(Level(
                    name: "fill aims at", value: Double(disk.availableBeforeBytes - disk.targetBytes), color: ChartPalette.requested))
            }
            if let floor = report.guards?.diskFloorBytes[path] {
                panel.levels.append(Level(name: "floor", value: Double(floor), color: ChartPalette.floor))
            }
            return panel
        }
    }
}
