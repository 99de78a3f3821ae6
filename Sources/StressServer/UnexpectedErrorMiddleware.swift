import Hummingbird

/// The outermost middleware. An error no route mapped to HTTP (a host read
/// failing, a response JSON cannot carry) would leave as an empty 500; it
/// leaves as a problem+json 500 saying which request failed and how, and is
/// logged. Errors that already are HTTP answers pass through.
struct UnexpectedErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let problem = APIError(unexpected: error, request: request)
            context.logger.error("\(problem.detail)")
            throw problem
        }
    }
}
