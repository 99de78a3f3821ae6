/// One parser or decoder that takes input from outside stressd (a user, a
/// client, the kernel, a file left on disk), wrapped so libFuzzer can feed it
/// bytes (`make fuzz`) and the tests can replay the committed corpora
/// (`Fuzz/corpus/<name>/`). A target checks more than "no crash": where a
/// value has a written form, it must read back as the same value.
public struct FuzzTarget: Sendable {
    /// The corpus folder's name and `stressd-fuzz`'s first argument.
    public let name: String
    /// What it feeds, for `stressd-fuzz --list`.
    public let summary: String
    let body: @Sendable ([UInt8]) throws(Violation) -> Void

    init(_ name: String, _ summary: String, body: @escaping @Sendable ([UInt8]) throws(Violation) -> Void) {
        self.name = name
        self.summary = summary
        self.body = body
    }

    /// Runs one input. A crash is a finding; so is a thrown violation.
    public func run(_ input: [UInt8]) throws(Violation) {
        try body(input)
    }

    /// A property that did not hold for some input, e.g. a duration that
    /// printed as `90s` and read back as something else.
    public struct Violation: Error, CustomStringConvertible {
        public let description: String
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(Violation) {
        if !condition { throw Violation(description: message()) }
    }

    /// Every target, in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = unitTargets + requestTargets + kernelFileTargets + recordTargets

    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

extension [UInt8] {
    /// Input as the parsers receive text: invalid UTF-8 repaired, as
    /// `String(decoding:)` does for files read from /proc and request bodies.
    var text: String { String(decoding: self, as: UTF8.self) }

    /// Two parts split at the first newline (a pattern and a subject, a
    /// quota and a period); the second is empty when there is none.
    var twoLines: (String, String) {
        guard let newline = firstIndex(of: UInt8(ascii: "\n")) else { return (text, "") }
        return (Array(self[..<newline]).text, Array(self[(newline + 1)...]).text)
    }
}
