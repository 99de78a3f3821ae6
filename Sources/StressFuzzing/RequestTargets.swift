import FoundationEssentials
import StressCore

/// What clients and operators send: attack requests, the config file, the
/// command-line patterns `kill` and `pause` match against every process.
extension FuzzTarget {
    static let requestTargets: [FuzzTarget] = [
        FuzzTarget("attack-request", "AttackRequest: POST /v1/attacks bodies") { input throws(Violation) in
            guard let request = try? AttackRequest(json: input) else { return }
            let spec = request.spec
            // The CLI's spelling of an accepted spec starts the same attack.
            let flat = spec.flatParameters
            let reread = try? AttackSpec(kind: spec.kind, parameters: flat)
            try require(reread == spec, "\(input.text) was accepted, but its flags '\(flat)' read back as \(String(describing: reread))")
            // And so does its ledger form.
            let stored = try? JSONEncoder().encode(spec)
            let restored = stored.flatMap { try? JSONDecoder().decode(AttackSpec.self, from: $0) }
            try require(restored == spec, "\(input.text) was accepted, but its ledger form does not decode to the same spec")
            for condition in request.stricter.abortConditions {
                try requireRoundTrip(condition, input: input.text)
            }
        },
        FuzzTarget("abort-condition", "AbortCondition: an --abort-unless line") { input throws(Violation) in
            guard let condition = try? AbortCondition(line: input.text) else { return }
            try requireRoundTrip(condition, input: input.text)
        },
        FuzzTarget("config", "StressdConfig and its TOML subset: /etc/stressd/stressd.toml") { input throws(Violation) in
            _ = try? StressdConfig(parsing: input.text, source: "fuzz.toml")
        },
        FuzzTarget("pattern", "CommandLinePattern: --match; a pattern, a newline, a command line") { input throws(Violation) in
            let (source, subject) = input.twoLines
            guard let pattern = try? CommandLinePattern(source) else { return }
            _ = pattern.matches(subject)
        },
    ]
}

extension FuzzTarget {
    /// An accepted condition's line and flat form both read back to it.
    static func requireRoundTrip(_ condition: AbortCondition, input: String) throws(Violation) {
        let line = condition.line
        let fromLine = try? AbortCondition(line: line)
        try require(fromLine == condition, "\(input) was accepted, but its line '\(line)' reads back as \(String(describing: fromLine))")
        let fromFlat = try? AbortCondition(parameters: condition.parameters)
        try require(fromFlat == condition, "\(input) was accepted, but its flat form \(condition.parameters) reads back as \(String(describing: fromFlat))")
    }
}
