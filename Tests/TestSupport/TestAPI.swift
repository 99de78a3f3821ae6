import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import LinuxHost
import StressAgent
import StressServer
import SystemPackage
import Testing

/// The HTTP API over an agent in a fresh temporary state directory: the one
/// harness for every test that drives the API in-process (issue 15). The
/// agent runs beside the test unless told not to; when the test is done
/// the harness checks that no attack left a ledger record or a fill behind.
public struct TestAPI {
    /// The token the router is built with.
    public static let token = "s3cret-token"
    /// Headers that carry `token`.
    public static var auth: HTTPFields { [.authorization: "Bearer \(token)"] }

    public let agent: Agent
    public let router: Router<BasicRequestContext>
    /// The agent's state directory.
    public let state: String
    /// An empty folder inside `state` for disk fills.
    public let target: String

    /// The API over a new agent for the length of `body`.
    /// - Parameters:
    ///   - token: the router's token; nil for none.
    ///   - observer: the host observer behind `/v1/host` and `/metrics`; nil for the router's default.
    ///   - running: whether the agent's service body runs beside `body` (it must, for attacks to end on their own).
    public static func with<Value>(
        token: String? = Self.token, observer: HostObserver? = nil, running: Bool = true,
        _ body: (TestAPI) async throws -> Value
    ) async throws -> Value {
        let directory = try TemporaryDirectory()
        let state = directory.path.string
        let target = directory.path.appending("target").string
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let metrics = MetricsScrape()
        let agent = Agent(environment: try .testing(directory.path), metrics: AgentMetrics(factory: metrics.factory))
        let reports = ReportStore(stateDirectory: directory.path)
        let router = observer.map { StressAPI.router(agent: agent, reports: reports, token: token, metrics: metrics, observer: $0) }
            ?? StressAPI.router(agent: agent, reports: reports, token: token, metrics: metrics)
        let api = TestAPI(agent: agent, router: router, state: state, target: target)
        let value = running ? try await agent.running { try await body(api) } : try await body(api)
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: state + "/ledger")) ?? []).filter { $0.hasSuffix(".json") }
        #expect(left.isEmpty, "ledger records left: \(left)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).isEmpty, "fill left in the target")
        return value
    }

    /// Hummingbird's router test client: requests without sockets.
    public func test<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: router).test(.router, body)
    }

    /// The API served on 127.0.0.1 at a port the kernel picks, which `body` gets.
    public func live<Value>(
        server: HTTPServerBuilder = .http1(), _ body: @Sendable (Int) async throws -> Value
    ) async throws -> Value {
        let app = Application(router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    /// A response's body as a JSON object.
    public static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// A response's body as a JSON array of objects (a list of attacks or reports).
    public static func list(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
    }
}

/// The router's test client over a running agent, and an empty folder to fill.
public func withAPI(
    observer: HostObserver? = nil, running: Bool = true,
    _ body: @Sendable (any TestClientProtocol, String) async throws -> Void
) async throws {
    try await TestAPI.with(observer: observer, running: running) { api in
        let target = api.target
        try await api.test { client in try await body(client, target) }
    }
}

/// What suites that talk to the API share: the token header and JSON bodies.
public protocol APITesting {}

extension APITesting {
    public var auth: HTTPFields { TestAPI.auth }
    public func json(_ response: TestResponse) throws -> [String: Any] { try TestAPI.json(response) }
}
