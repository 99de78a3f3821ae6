/// Turns a pattern tree into a program for `PatternMachine`. Counted
/// repetitions are written out (`a{2,3}` is `a a a?`), so the program's size,
/// the bound on a match's work per scalar, is checked against `limit`.
struct PatternCompiler {
    private var program: [PatternInstruction] = []
    private let limit: Int

    static func compile(_ node: PatternNode, limit: Int) throws(PatternSyntaxError) -> [PatternInstruction] {
        var compiler = PatternCompiler(limit: limit)
        try compiler.emit(node)
        try compiler.append(.match)
        return compiler.program
    }

    private init(limit: Int) {
        self.limit = limit
    }

    @discardableResult
    private mutating func append(_ instruction: PatternInstruction) throws(PatternSyntaxError) -> Int {
        guard program.count < limit else {
            throw PatternSyntaxError(problem: "the pattern is too large (over \(limit) steps once repetitions are written out)", offset: nil)
        }
        program.append(instruction)
        return program.count - 1
    }

    private mutating func emit(_ node: PatternNode) throws(PatternSyntaxError) {
        switch node {
        case .scalar(let scalar): try append(.scalar(scalar))
        case .set(let set): try append(.set(set))
        case .assertion(let assertion): try append(.assertion(assertion))
        case .sequence(let items):
            for item in items { try emit(item) }
        case .choice(let branches): try emitChoice(branches)
        case .repetition(let inner, let min, let max): try emitRepetition(inner, min: min, max: max)
        }
    }

    /// `split L1, next; L1: a; jump end; next: split L2, … ; last branch`.
    private mutating func emitChoice(_ branches: [PatternNode]) throws(PatternSyntaxError) {
        var jumps: [Int] = []
        for (position, branch) in branches.enumerated() {
            guard position < branches.count - 1 else {
                try emit(branch)
                break
            }
            let split = try append(.split(0, 0))
            try emit(branch)
            jumps.append(try append(.jump(0)))
            program[split] = .split(split + 1, program.count)
        }
        for jump in jumps { program[jump] = .jump(program.count) }
    }

    /// `min` copies, then either a loop (unbounded) or `max - min` optional
    /// copies, each of which may skip to the end.
    private mutating func emitRepetition(_ inner: PatternNode, min: Int, max: Int?) throws(PatternSyntaxError) {
        for _ in 0..<min { try emit(inner) }
        guard let max else {
            let loop = try append(.split(0, 0))
            try emit(inner)
            try append(.jump(loop))
            program[loop] = .split(loop + 1, program.count)
            return
        }
        var skips: [Int] = []
        for _ in min..<max {
            skips.append(try append(.split(0, 0)))
            try emit(inner)
        }
        for skip in skips { program[skip] = .split(skip + 1, program.count) }
    }
}
