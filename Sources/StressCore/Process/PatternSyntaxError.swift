/// Why a pattern does not compile, with the offset (in Unicode scalars) of
/// the part at fault.
struct PatternSyntaxError: Error, CustomStringConvertible {
    let problem: String
    let offset: Int?

    var description: String {
        offset.map { "\(problem) at offset \($0)" } ?? problem
    }
}
