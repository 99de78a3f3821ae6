import FoundationEssentials

/// An attack's report drawn as an SVG chart: `stressd report ID --svg FILE`
/// and `GET /v1/reports/{id}.svg`. Panels share the time axis (seconds since
/// the start); the attack's window is shaded in each, floors are dashed
/// lines, events are lines across all panels, each panel has its legend.
/// Pure: the same report always draws the same picture.
public struct ReportChart {
    public static let width = 960.0
    static let left = 84.0
    static let right = 24.0
    static let plotHeight = 120.0
    static let conditionRowHeight = 26.0
    /// Events beyond this many are drawn as lines without labels.
    static let labelledEventLimit = 12

    let report: AttackReport
    let panels: [ChartPanel]
    let events: [ChartEvent]
    let time: ChartAxis

    public init(_ report: AttackReport) {
        self.report = report
        panels = ChartPanel.panels(of: report)
        events = ChartEvent.events(of: report)
        let lastSample = report.timeline.map(\.elapsed).max() ?? 0
        let end = max(lastSample, report.stoppedAfterSeconds ?? 0, events.map(\.elapsed).max() ?? 0, 1)
        time = ChartAxis(largest: end, unit: .seconds, from: Self.left, to: Self.width - Self.right, tickCount: 10)
    }

    /// Where the attack's window ends: when its end was decided, or for a
    /// report without that, its last sample before cleanup.
    var windowEnd: Double {
        report.stoppedAfterSeconds ?? report.timeline.dropLast().last?.elapsed ?? 0
    }

    public var svg: String {
        var body = SVGWriter()
        var top = header(&body)
        top = eventLabels(&body, top: top)
        for panel in panels {
            top = draw(panel, into: &body, top: top)
        }
        if panels.isEmpty {
            body.element(
                "text", ["x": "12", "y": SVGWriter.number(top + 16)],
                content: "Nothing to draw: the attack recorded no samples (it did not start).")
            top += 40
        }
        body.element(
            "text", ["x": SVGWriter.number(Self.width / 2), "y": SVGWriter.number(top + 4), "text-anchor": "middle"],
            content: "seconds since the attack started")
        let height = top + 16
        let width = SVGWriter.number(Self.width)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(SVGWriter.number(height))" \
            viewBox="0 0 \(width) \(SVGWriter.number(height))" font-family="DejaVu Sans, Verdana, sans-serif" font-size="12" \
            fill="\(ChartPalette.text)">
            <rect width="100%" height="100%" fill="#ffffff"/>

            """ + body.text + "</svg>\n"
    }

    /// The title and a line of what happened; returns where the next part starts.
    private func header(_ body: inout SVGWriter) -> Double {
        let kind = report.spec.kind.rawValue
        body.element("text", ["x": "12", "y": "22", "font-size": "16", "font-weight": "bold"], content: "stressd \(kind) attack \(report.id)")
        var line = "\(report.startedAt.formatted(.iso8601)) · \(report.outcome.status)"
        if let reason = report.outcome.reason { line += ": \(reason)" }
        line += report.cleanup.leftovers.isEmpty
            ? " · cleanup verified"
            : " · \(report.cleanup.leftovers.count) left behind"
        body.element("text", ["x": "12", "y": "42"], content: String(line.prefix(150)))
        return 54
    }

    /// The events' labels in a band of three staggered rows above the
    /// panels, when there are few enough to read.
    private func eventLabels(_ body: inout SVGWriter, top: Double) -> Double {
        guard !events.isEmpty, events.count <= Self.labelledEventLimit else { return top }
        for (index, event) in events.enumerated() {
            let x = time.position(event.elapsed)
            let anchor = x > Self.width * 0.75 ? "end" : "start"
            body.element(
                "text",
                [
                    "class": "event-label", "x": SVGWriter.number(x + (anchor == "end" ? -3 : 3)),
                    "y": SVGWriter.number(top + 12 + Double(index % 3) * 14), "text-anchor": anchor, "font-size": "11",
                    "fill": event.kind.color,
                ],
                content: event.label)
        }
        return top + 3 * 14 + 6
    }

    /// One panel: its title and legend, then its plot and time ticks.
    private func draw(_ panel: ChartPanel, into body: inout SVGWriter, top: Double) -> Double {
        body.open("g", ["class": "panel", "data-title": panel.title])
        body.element("text", ["x": "12", "y": SVGWriter.number(top + 14), "font-weight": "bold"], content: panel.title)
        legend(panel, into: &body, y: top + 14, after: panel.title)
        let plotTop = top + 22
        let height = panel.conditions.isEmpty ? Self.plotHeight : Double(panel.conditions.count) * Self.conditionRowHeight
        let plotBottom = plotTop + height
        let left = Self.left
        let right = Self.width - Self.right
        body.element(
            "rect",
            [
                "class": "window", "x": SVGWriter.number(time.position(0)), "y": SVGWriter.number(plotTop),
                "width": SVGWriter.number(max(1, time.position(windowEnd) - time.position(0))), "height": SVGWriter.number(height),
                "fill": ChartPalette.window,
            ])
        for tick in time.ticks {
            let x = SVGWriter.number(time.position(tick))
            body.element("line", ["x1": x, "y1": SVGWriter.number(plotTop), "x2": x, "y2": SVGWriter.number(plotBottom), "stroke": ChartPalette.grid])
            body.element("text", ["x": x, "y": SVGWriter.number(plotBottom + 14), "text-anchor": "middle", "font-size": "11"], content: time.label(tick))
        }
        if panel.conditions.isEmpty {
            let values = ChartAxis(largest: panel.largest, unit: panel.unit, from: plotBottom, to: plotTop, tickCount: 4)
            drawCurves(panel, axis: values, into: &body)
        } else {
            drawConditions(panel.conditions, top: plotTop, into: &body)
        }
        for event in events {
            let x = SVGWriter.number(time.position(event.elapsed))
            body.element(
                "line",
                [
                    "class": "event", "data-kind": event.kind.rawValue, "x1": x, "y1": SVGWriter.number(plotTop), "x2": x,
                    "y2": SVGWriter.number(plotBottom), "stroke": event.kind.color, "stroke-width": "1.5",
                ])
        }
        body.element(
            "rect",
            [
                "x": SVGWriter.number(left), "y": SVGWriter.number(plotTop), "width": SVGWriter.number(right - left),
                "height": SVGWriter.number(height), "fill": "none", "stroke": "#999999",
            ])
        body.close("g")
        return plotBottom + 30
    }

    /// Swatches and names after the title, one per curve and level.
    private func legend(_ panel: ChartPanel, into body: inout SVGWriter, y: Double, after title: String) {
        var x = 12 + Double(title.count) * 7.5 + 16
        let entries = panel.series.map { ($0.name, $0.color, $0.dashed) } + panel.levels.map { ($0.name, $0.color, true) }
        for (name, color, dashed) in entries {
            body.element(
                "line",
                [
                    "x1": SVGWriter.number(x), "y1": SVGWriter.number(y - 4), "x2": SVGWriter.number(x + 18),
                    "y2": SVGWriter.number(y - 4), "stroke": color, "stroke-width": "2", "stroke-dasharray": dashed ? "4 3" : "none",
                ])
            body.element("text", ["class": "legend", "x": SVGWriter.number(x + 22), "y": SVGWriter.number(y)], content: name)
            x += 22 + Double(name.count) * 7 + 14
        }
    }

    private func drawCurves(_ panel: ChartPanel, axis: ChartAxis, into body: inout SVGWriter) {
        for tick in axis.ticks {
            let y = SVGWriter.number(axis.position(tick))
            body.element("line", ["x1": SVGWriter.number(Self.left), "y1": y, "x2": SVGWriter.number(Self.width - Self.right), "y2": y, "stroke": ChartPalette.grid])
            body.element("text", ["x": SVGWriter.number(Self.left - 6), "y": y, "dy": "4", "text-anchor": "end", "font-size": "11"], content: axis.label(tick))
        }
        for level in panel.levels {
            let y = SVGWriter.number(axis.position(level.value))
            body.element(
                "line",
                [
                    "class": "level", "data-name": level.name, "x1": SVGWriter.number(Self.left), "y1": y,
                    "x2": SVGWriter.number(Self.width - Self.right), "y2": y, "stroke": level.color, "stroke-width": "1.5",
                    "stroke-dasharray": "6 4",
                ])
            body.element(
                "text",
                [
                    "x": SVGWriter.number(Self.width - Self.right - 4), "y": y, "dy": "-4", "text-anchor": "end",
                    "font-size": "11", "fill": level.color,
                ],
                content: "\(level.name) \(axis.label(level.value))")
        }
        for series in panel.series where !series.points.isEmpty {
            let points = series.points.map { "\(SVGWriter.number(time.position($0.elapsed))),\(SVGWriter.number(axis.position($0.value)))" }
            body.element(
                "polyline",
                [
                    "class": "series", "data-name": series.name, "points": points.joined(separator: " "), "fill": "none",
                    "stroke": series.color, "stroke-width": "2", "stroke-linejoin": "round",
                    "stroke-dasharray": series.dashed ? "6 4" : "none",
                ])
        }
    }

    /// A row per condition: its line, then a dot per check.
    private func drawConditions(_ conditions: [ConditionTimeline], top: Double, into body: inout SVGWriter) {
        for (index, condition) in conditions.enumerated() {
            let rowTop = top + Double(index) * Self.conditionRowHeight
            body.element(
                "text", ["x": SVGWriter.number(Self.left + 4), "y": SVGWriter.number(rowTop + 11), "font-size": "10"],
                content: String(condition.condition.prefix(120)))
            for evaluation in condition.evaluations {
                body.element(
                    "circle",
                    [
                        "class": evaluation.passed ? "check passed" : "check failed",
                        "cx": SVGWriter.number(time.position(evaluation.elapsed)), "cy": SVGWriter.number(rowTop + 19), "r": "3.5",
                        "fill": evaluation.passed ? ChartPalette.passed : ChartPalette.failed,
                    ])
            }
        }
    }
}
