import Hummingbird
import LinuxHost
import StressAgent
import StressCore

/// The agent's HTTP API, assembled: health, the token check, the attack
/// routes, saved reports, the host snapshot, Prometheus metrics, the
/// OpenAPI document that describes them all, and 404/405 for the rest.
public enum StressAPI {
    /// `observer` reads the host for `/v1/host`; tests point it at a tree
    /// of their own. `metrics` is what `/metrics` answers from: the agent
    /// must count into its `factory`.
    public static func router(
        agent: Agent, reports: ReportStore, token: String?, metrics: MetricsScrape,
        observer: HostObserver = HostObserver(interval: .milliseconds(250))
    ) -> Router<BasicRequestContext> {
        let router = Router()
        // First, so it wraps every route and middleware after it.
        router.add(middleware: UnexpectedErrorMiddleware())
        // Requests by route, method and status, and their latencies, through
        // swift-metrics (what `serve` bootstrapped: `metrics.factory`);
        // before the token check, so refused requests count too.
        router.add(middleware: MetricsMiddleware())
        // Open to load balancers: registered before the token middleware,
        // which guards only the routes registered after it.
        router.get("healthz") { _, _ in "ok\n" }
        if let token {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        AttackRoutes(agent: agent).add(to: router)
        // Every saved report as a summary, the last to end first: bounded
        // by the retention ([reports] keep), like the attack list.
        router.get("v1/reports") { request, _ in
            _ = try RouteQuery(request, allowing: [])
            do {
                return try JSONResponse.make(try reports.summaries())
            } catch let error as AgentError {
                throw APIError(error)
            }
        }
        router.get("v1/reports/:id") { request, context in
            _ = try RouteQuery(request, allowing: [])
            return try JSONResponse.make(try Self.report(context.parameters.get("id"), from: reports))
        }
        // The router tries `{id}.svg` before `:id`: a suffix is more specific.
        router.get("v1/reports/{id}.svg") { request, context in
            _ = try RouteQuery(request, allowing: [])
            let chart = ReportChart(try Self.report(context.parameters.get("id"), from: reports))
            return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: .init(byteBuffer: ByteBuffer(string: chart.svg)))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: await metrics.render(agent: agent))))
        }
        router.get("v1/host") { request, _ in
            _ = try RouteQuery(request, allowing: [])
            return try JSONResponse.make(try await observer.snapshot())
        }
        OpenAPIDocument.add(to: router)
        // Last: it needs the whole route list, and with no route after it
        // it wraps only the answer to a request that matches none.
        router.add(middleware: NoRouteMiddleware(routes: router.routes))
        return router
    }

    /// The saved report `id` names, its errors as the API's.
    private static func report(_ id: String?, from reports: ReportStore) throws -> AttackReport {
        do {
            return try reports.load(try AttackID(validating: id ?? ""))
        } catch let error as AgentError {
            throw APIError(error)
        } catch let error as InputError {
            throw APIError(error)
        }
    }
}
