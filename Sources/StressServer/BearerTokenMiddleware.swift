import Hummingbird

/// Requires `Authorization: Bearer <token>`. It has no exemptions: like any
/// router middleware it guards the routes registered after it (and the
/// answer to a request no route matches), so a route is open by being
/// registered before it, as `/healthz` is, matched by the router itself.
/// The comparison takes the same time whatever the token, so a caller
/// cannot learn it byte by byte from response times.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    public init(token: String) {
        self.token = Array(token.utf8)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              Self.constantTimeEqual(Array(header.dropFirst(7).utf8), token)
        else {
            throw APIError(
                .unauthorized, title: "unauthorized", detail: "send the agent's token as `Authorization: Bearer <token>`",
                headers: [.wwwAuthenticate: Self.challenge])
        }
        return try await next(request, context)
    }

    /// What a 401 must carry (RFC 9110 §11.6.1): the scheme to use, and
    /// the realm a client may keep a token for.
    static var challenge: String { #"Bearer realm="stressd""# }

    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= (index < given.count ? given[index] : 0) ^ expected[index]
        }
        return difference == 0
    }
}
