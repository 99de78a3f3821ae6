import FoundationEssentials
import Hummingbird
import StressAgent
import StressCore

/// `/v1/attacks`: start, list (summaries), inspect, renew, stop, halt; and
/// `/v1/plans`: what a start would do, starting nothing. A request body
/// is the CLI's vocabulary, flat (`{"kind": "cpu", "load": "30%", "cores":
/// 1, "duration": "60s", "lease": "10s"}`), decoded by the same parsers.
public struct AttackRoutes: Sendable {
    let agent: Agent
    /// Larger bodies are refused (413): a spec is a few hundred bytes.
    public static let maxBodyBytes = 16 << 10

    public init(agent: Agent) {
        self.agent = agent
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        let attacks = router.group("v1/attacks")
        attacks.post { request, context in
            _ = try RouteQuery(request, allowing: [])
            return try await start(request, context)
        }
        router.post("v1/plans") { request, _ in
            _ = try RouteQuery(request, allowing: [])
            let attack = try await Self.decode(request)
            return try await guarded { try JSONResponse.make(try await agent.plan(attack.spec, lease: attack.lease, stricter: attack.stricter)) }
        }
        // Summaries: the list stays small however many reports the agent keeps.
        attacks.get { request, _ in
            let filter = try RouteQuery(request, allowing: ["state", "label"]).filter()
            return try JSONResponse.make(await agent.summaries(matching: filter))
        }
        attacks.delete { request, _ in
            let filter = try RouteQuery(request, allowing: ["label"]).filter()
            return try JSONResponse.make(await agent.haltAll(matching: filter))
        }
        attacks.get(":id") { request, context in
            _ = try RouteQuery(request, allowing: [])
            return try await guarded { try JSONResponse.make(try await agent.attack(id(context))) }
        }
        attacks.delete(":id") { request, context in
            _ = try RouteQuery(request, allowing: [])
            return try await guarded { try JSONResponse.make(try await agent.stop(id(context))) }
        }
        attacks.post(":id/lease") { request, context in
            _ = try RouteQuery(request, allowing: [])
            return try await guarded {
                let attack = try id(context)
                try await agent.renewLease(attack)
                return try JSONResponse.make(try await agent.attack(attack))
            }
        }
    }

    private func start(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let attack = try await Self.decode(request)
        return try await guarded {
            let id = try await agent.start(attack.spec, lease: attack.lease, stricter: attack.stricter)
            var response = try JSONResponse.make(try await agent.attack(id), status: .created)
            response.headers[.location] = "/v1/attacks/\(id)"
            return response
        }
    }

    /// A start's or a plan's body, bounded, as an attack request.
    private static func decode(_ request: Request) async throws -> AttackRequest {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, title: "body too large", detail: "attack requests are at most \(Self.maxBodyBytes) bytes")
        }
        let attack: AttackRequest
        do throws(AttackRequest.Refusal) {
            attack = try AttackRequest(json: Array(body.readableBytesView))
        } catch .notAnObject {
            throw APIError(.badRequest, title: "not a JSON object", detail: "send a flat JSON object such as {\"kind\": \"cpu\", \"load\": \"30%\", \"duration\": \"60s\"}")
        } catch .invalid(let error) {
            throw APIError(error)
        }
        return attack
    }

    private func id(_ context: some RequestContext) throws -> AttackID {
        try AttackID(validating: context.parameters.get("id") ?? "")
    }

    /// Maps the agent's and the parsers' errors to problem+json.
    private func guarded(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as AgentError {
            throw APIError(error)
        } catch let error as InputError {
            throw APIError(error)
        }
    }
}
