import StressCore
import Testing

/// Each kind's `AttackKindSpec` conformance is the one place the spec layer
/// learns about it; these check the conformances agree with their kinds.
struct AttackKindSpecTests {
    @Test("each kind's spec type is its own", arguments: AttackKind.allCases)
    func specTypeNamesItsKind(kind: AttackKind) {
        #expect(kind.specType.kind == kind)
        #expect(kind.defaultDuration > .zero)
    }

    /// The names every request takes are the spec's and the API's, never a
    /// kind's own: a kind that claimed `duration` would shadow it.
    @Test("no kind claims a shared name", arguments: AttackKind.allCases)
    func ownNamesOnly(kind: AttackKind) {
        #expect(kind.specType.parameterNames.isDisjoint(with: ["kind", "duration", "labels", "lease", "floor", "max-load-avg"]))
    }

    @Test("the stricter policy's names follow each kind's floors")
    func stricterNames() {
        #expect(StricterPolicy.parameterNames(of: .mem) == ["floor"])
        #expect(StricterPolicy.parameterNames(of: .disk) == ["floor"])
        #expect(StricterPolicy.parameterNames(of: .cpu) == ["max-load-avg"])
        #expect(StricterPolicy.parameterNames(of: .kill).isEmpty)
        #expect(StricterPolicy.parameterNames(of: .pause).isEmpty)
    }

    /// A kill's signal and interval are its own: a pause refuses them.
    @Test func killAndPauseHaveTheirOwnNames() {
        #expect(KillSpec.parameterNames.subtracting(PauseSpec.parameterNames) == ["signal", "interval"])
    }
}
