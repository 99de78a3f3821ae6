/// Titles of the API's problem+json errors that a client tells apart: a
/// 422 is a refusal (exit 2, nothing started) except when a process
/// attack's selector matched nothing, which the CLI reports as a failed
/// attack (exit 1) on an agent as it does locally.
public enum ProblemTitle {
    public static let noTarget = "no target"
}
