import FoundationEssentials
import NIOHTTP1
import NIOSSL
import StressCore

/// The agent's HTTP API from the other side: what `--agent URL` uses to
/// start, watch and stop attacks on another host with the same vocabulary
/// and the same types the agent encodes.
public struct AgentClient: Sendable {
    public let endpoint: AgentEndpoint
    /// How long one attempt of a request may take, connection included
    /// (a request cut off is sent once more: see `call`).
    public var timeout: Duration = .seconds(10)
    private let tlsContext: NIOSSLContext?

    /// TLS settings apply to `https` endpoints only; giving them for
    /// `http` is an error rather than a silently unencrypted connection.
    public init(endpoint: AgentEndpoint, tls: ClientTLS = ClientTLS()) throws(InputError) {
        self.endpoint = endpoint
        if endpoint.secure {
            tlsContext = try tls.context()
        } else if !tls.isEmpty {
            throw .rejected(field: "agent", reason: "--ca-file, --cert-file and --key-file need an https:// agent URL")
        } else {
            tlsContext = nil
        }
    }

    /// Starts an attack from the CLI's flat parameters (`kind` included)
    /// and its abort conditions; with a lease, it stops unless `renewLease`
    /// comes in time.
    public func start(
        _ parameters: FlatParameters, abortConditions: [AbortCondition] = [], lease: Duration? = nil
    ) async throws(ClientError) -> AgentAttack {
        var body = AttackRequestBody(parameters: parameters, abortConditions: abortConditions)
        if let lease { body.parameters["lease"] = lease.humanReadable }
        return try await call(.POST, "/v1/attacks", body: body, idempotent: false)
    }

    /// What the agent would do with this attack (`POST /v1/plans`), starting nothing.
    public func plan(_ parameters: FlatParameters, abortConditions: [AbortCondition] = []) async throws(ClientError) -> AttackPlan {
        try await call(.POST, "/v1/plans", body: AttackRequestBody(parameters: parameters, abortConditions: abortConditions))
    }

    /// Every attack the agent knows that `filter` matches, summarized;
    /// `attack(_:)` has the rest.
    public func attacks(matching filter: AttackFilter = AttackFilter()) async throws(ClientError) -> [AttackSummary] {
        try await call(.GET, "/v1/attacks" + Self.query(filter))
    }

    public func attack(_ id: AttackID) async throws(ClientError) -> AgentAttack {
        try await call(.GET, "/v1/attacks/\(id)")
    }

    /// Extends the attack's lease; answers with its current state.
    public func renewLease(_ id: AttackID) async throws(ClientError) -> AgentAttack {
        try await call(.POST, "/v1/attacks/\(id)/lease")
    }

    /// Stops the attack now and waits for its report (cleanup included).
    public func stop(_ id: AttackID) async throws(ClientError) -> AttackReport {
        try await call(.DELETE, "/v1/attacks/\(id)")
    }

    /// Stops every running attack, or those carrying every label of
    /// `labels`: the big red button.
    /// Not sent twice: a second halt would find nothing running and answer
    /// with none of the reports (or leftovers) of what the first stopped.
    public func haltAll(labeled labels: AttackLabels = AttackLabels()) async throws(ClientError) -> [AttackReport] {
        try await call(.DELETE, "/v1/attacks" + Self.query(AttackFilter(labels: labels)), idempotent: false)
    }

    /// `?state=...&label=k%3Dv...`: label keys and values hold no character
    /// a query must escape but the `=` between them.
    static func query(_ filter: AttackFilter) -> String {
        var items = filter.state.map { ["state=\($0.rawValue)"] } ?? []
        items += filter.labels.values.sorted { $0.key < $1.key }.map { "label=\($0.key)%3D\($0.value)" }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    /// The agent's saved reports, as summaries, the last to end first.
    public func reports() async throws(ClientError) -> [AttackSummary] {
        try await call(.GET, "/v1/reports")
    }

    public func report(_ id: AttackID) async throws(ClientError) -> AttackReport {
        try await call(.GET, "/v1/reports/\(id)")
    }

    public func host() async throws(ClientError) -> HostSnapshot {
        try await call(.GET, "/v1/host")
    }

    private struct Problem: Decodable {
        var title: String?
        var detail: String?
        var field: String?
    }

    /// `idempotent`: sent twice, it leaves the agent as sent once does and
    /// answers the same (all but starting an attack and halting all: a
    /// plan starts nothing, a second renewal changes nothing more, a second
    /// stop of an attack returns its report), so it is sent again when the
    /// connection is cut before the answer.
    private func call<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: AttackRequestBody? = nil, idempotent: Bool = true
    ) async throws(ClientError) -> Answer {
        let encoded: [UInt8]?
        do {
            encoded = try body.map { Array(try JSONEncoder().encode($0)) }
        } catch {
            throw .badResponse(endpoint: endpoint.description, reason: "cannot encode the request: \(error)")
        }
        let response = try await HTTPExchange.send(
            method, path, body: encoded, to: endpoint, tls: tlsContext, timeout: timeout, idempotent: idempotent)
        guard (200..<300).contains(response.status) else {
            let problem = try? JSONCoding.decoder.decode(Problem.self, from: Data(response.body))
            throw .problem(
                status: response.status, title: problem?.title ?? "error",
                detail: problem?.detail ?? String(decoding: response.body.prefix(200), as: UTF8.self),
                field: problem?.field)
        }
        do {
            return try JSONCoding.decoder.decode(Answer.self, from: Data(response.body))
        } catch {
            throw .badResponse(endpoint: endpoint.description, reason: "\(method) \(path): \(error)")
        }
    }
}
