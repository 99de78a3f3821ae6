import Hummingbird
import StressAgent
import StressCore

/// A request's query string checked against the names its route takes. A
/// name the route does not know is refused (400), never ignored: a halt
/// scoped by a misspelt or unsupported parameter must not stop every
/// attack on the agent.
struct RouteQuery {
    private let parameters: [(name: String, value: String)]

    init(_ request: Request, allowing allowed: Set<String>) throws(APIError) {
        parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        if let unknown = parameters.first(where: { !allowed.contains($0.name) }) {
            let known = allowed.isEmpty ? "this route takes none" : "known: \(allowed.sorted().joined(separator: ", "))"
            throw APIError(
                .badRequest, title: "unknown query parameter",
                detail: "'\(unknown.name)' is not a query parameter of \(request.method.rawValue) \(request.uri.path) (\(known))",
                field: unknown.name)
        }
    }

    /// `state=running` (at most once) and any number of `label=key=value`,
    /// all of which must match.
    func filter() throws(APIError) -> AttackFilter {
        var filter = AttackFilter()
        let states = values("state")
        if states.count > 1 {
            throw APIError(.badRequest, title: "invalid query", detail: "give state at most once", field: "state")
        }
        if let text = states.first {
            guard let state = AgentAttack.State(rawValue: text) else {
                throw APIError(.badRequest, title: "invalid query", detail: "state '\(text)': expected running, finished or recovered", field: "state")
            }
            filter.state = state
        }
        do {
            filter.labels = try AttackLabels(pairs: values("label"), field: "label")
        } catch {
            throw APIError(.badRequest, title: "invalid query", detail: error.description, field: "label")
        }
        return filter
    }

    private func values(_ name: String) -> [String] {
        parameters.filter { $0.name == name }.map(\.value)
    }
}
