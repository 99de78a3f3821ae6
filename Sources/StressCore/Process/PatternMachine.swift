/// Runs a compiled `--match` program over a text, Pike's way: all threads
/// advance together one scalar at a time, and a program counter already in
/// the step's list is not added twice. Each scalar thus costs at most one
/// visit per instruction, and nothing recurses, so neither time nor stack
/// depends on how the pattern nests.
struct PatternMachine {
    let program: [PatternInstruction]
    let text: [Unicode.Scalar]

    /// Whether the program matches anywhere in the text: a thread starts at
    /// every position, as an unanchored search.
    func run() -> Bool {
        var current = ThreadList(capacity: program.count)
        var next = ThreadList(capacity: program.count)
        if add(0, at: 0, to: &current) { return true }
        for position in text.indices {
            next.removeAll()
            let scalar = text[position]
            for pc in current.members {
                let advances: Bool
                switch program[pc] {
                case .scalar(let expected): advances = scalar == expected
                case .set(let set): advances = set.contains(scalar)
                case .assertion, .split, .jump, .match: advances = false
                }
                if advances, add(pc + 1, at: position + 1, to: &next) { return true }
            }
            if add(0, at: position + 1, to: &next) { return true }
            swap(&current, &next)
        }
        return false
    }

    /// Adds `start` and everything reachable from it without consuming a
    /// scalar; true as soon as that reaches `match`.
    private func add(_ start: Int, at position: Int, to list: inout ThreadList) -> Bool {
        var pending = [start]
        while let pc = pending.popLast() {
            guard list.insert(pc) else { continue }
            switch program[pc] {
            case .match: return true
            case .jump(let target): pending.append(target)
            case .split(let first, let second): pending.append(contentsOf: [second, first])
            case .assertion(let assertion):
                if holds(assertion, at: position) { pending.append(pc + 1) }
            case .scalar, .set: break
            }
        }
        return false
    }

    private func holds(_ assertion: PatternAssertion, at position: Int) -> Bool {
        switch assertion {
        case .textStart: return position == 0
        case .textEnd: return position == text.count
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && ScalarSet.isWord(text[position - 1])
            let after = position < text.count && ScalarSet.isWord(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }
}
