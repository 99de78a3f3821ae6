import Hummingbird
import HummingbirdTesting
import StressServer
import Testing

/// The token middleware on its own, over a router of two routes.
@Suite("HTTP API: the bearer token middleware")
struct BearerTokenMiddlewareTests {
    /// A router whose every route comes after the middleware.
    func withGuardedRouter(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router()
        router.add(middleware: BearerTokenMiddleware(token: "s3cret-token"))
        router.get("healthz") { _, _ in "ok\n" }
        router.get("v1/attacks") { _, _ in "[]" }
        try await Application(router: router).test(.router, body)
    }

    /// `/healthz` is open only because StressAPI registers it before the
    /// middleware; the middleware itself has no exemptions to keep in step.
    @Test func theMiddlewareExemptsNoPathOfItsOwn() async throws {
        try await withGuardedRouter { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .unauthorized)
            let allowed = try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer s3cret-token"])
            #expect(allowed.status == .ok)
        }
    }

    /// RFC 9110 §15.5.2: a 401 names the scheme to use.
    @Test(arguments: [nil, "Bearer wrong", "Basic czNjcmV0LXRva2Vu", "s3cret-token"])
    func everyRefusalSaysToUseABearerToken(authorization: String?) async throws {
        try await withGuardedRouter { client in
            let headers: HTTPFields = authorization.map { [.authorization: $0] } ?? [:]
            let response = try await client.execute(uri: "/v1/attacks", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="stressd""#)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }
}
