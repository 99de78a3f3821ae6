import Hummingbird
import StressAgent

/// The agent's HTTP API, assembled: health, the token check, the attack routes.
public enum StressAPI {
    public static func router(agent: Agent, token: String?) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        if let token {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        AttackRoutes(agent: agent).add(to: router)
        return router
    }
}
