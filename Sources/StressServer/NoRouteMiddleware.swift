import Hummingbird

/// Answers a request no route matches, as problem+json: 405 with `Allow`
/// when its path is served with other methods, else 404.
///
/// Hummingbird's router sends both cases to one responder that throws a
/// bare `HTTPError(.notFound)`, and wraps that responder in every router
/// middleware; this one tells the cases apart with the router's route list.
/// - Important: add it after every route: it copies the list when made.
struct NoRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let allowed = methods(serving: path)
            guard !allowed.isEmpty else {
                throw APIError(.notFound, title: "not found", detail: "no route \(request.method.rawValue) \(path); /openapi.yaml lists the API")
            }
            let list = allowed.joined(separator: ", ")
            throw APIError(
                .methodNotAllowed, title: "method not allowed",
                detail: "\(path) does not answer \(request.method.rawValue); it answers \(list)", headers: [.allow: list])
        }
    }

    /// The methods of the routes whose path matches `path` segment by
    /// segment, as the router matches (stressd's routes are literal
    /// segments and `:id` captures, which match any one segment).
    func methods(serving path: String) -> [String] {
        let segments = path.split(separator: "/")
        let matching = routes.filter { route in
            route.path.count == segments.count && zip(route.path, segments).allSatisfy { element, segment in element ~= segment }
        }
        return Set(matching.map(\.method.rawValue)).sorted()
    }
}
