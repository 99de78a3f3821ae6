/// A signal by name or number: `TERM`, `SIGKILL`, `9`.
///
/// A kill sends signals that end or notify a process, never ones that stop
/// or resume it: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU would leave a victim
/// stopped with nothing recorded to resume it (only a pause records what it
/// stops in the ledger), and SIGCONT would resume what a pause stopped. So
/// 18 to 22 are refused by name and by number and `stressd pause` named.
public struct ProcessSignal: Hashable, Sendable, CustomStringConvertible {
    public let number: Int32

    public static let kill = ProcessSignal(number: 9)
    static let names: [(String, Int32)] = [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("KILL", 9), ("USR1", 10), ("USR2", 12), ("TERM", 15),
    ]
    /// CONT, STOP, TSTP, TTIN, TTOU: the job-control signals (signal(7)).
    static let jobControl: [(String, Int32)] = [("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22)]

    public init(number: Int32) {
        self.number = number
    }

    public init(parsing text: String) throws(InputError) {
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let number = Int32(name) {
            guard (1...64).contains(number) else {
                throw .outOfRange(field: "signal", value: text, allowed: "1 to 64")
            }
            self.number = number
        } else if let known = (Self.names + Self.jobControl).first(where: { $0.0 == name }) {
            self.number = known.1
        } else {
            throw .malformed(field: "signal", value: text, expected: "TERM, KILL, INT, HUP, QUIT, USR1, USR2 or a number")
        }
        try validate(as: text)
    }

    /// Refuses the job-control signals; `text` is what the user gave.
    func validate(as text: String? = nil) throws(InputError) {
        guard let name = Self.jobControl.first(where: { $0.1 == number })?.0 else { return }
        throw .rejected(
            field: "signal",
            reason: "\(text ?? String(number)) is SIG\(name), which stops or resumes a process instead of ending it; "
                + "a kill never sends 18 to 22 (CONT, STOP, TSTP, TTIN, TTOU): use `stressd pause` to stop processes for a while")
    }

    public var description: String {
        Self.names.first { $0.1 == number }.map { "SIG\($0.0)" } ?? "signal \(number)"
    }
}
