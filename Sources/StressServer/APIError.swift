import FoundationEssentials
import Hummingbird
import StressAgent
import StressCore

/// An error as the API answers it: `application/problem+json` (RFC 9457)
/// with a `detail` a person can act on and, for bad input, the `field`.
/// The one place that maps agent errors to HTTP statuses.
public struct APIError: Error, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var field: String?
    /// Headers HTTP requires with some statuses, e.g. `WWW-Authenticate` on 401.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, title: String, detail: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    public init(_ error: AgentError) {
        switch error {
        case .input(let input):
            self.init(.unprocessableContent, title: "invalid attack", detail: input.description, field: input.field)
        case .noMatch(let message):
            self.init(.unprocessableContent, title: ProblemTitle.noTarget, detail: message, field: "selector")
        case .notSteady:
            self.init(.unprocessableContent, title: "not in steady state", detail: error.description, field: AbortCondition.field)
        case .unknownAttack:
            self.init(.notFound, title: "unknown attack", detail: error.description)
        case .unknownReport:
            self.init(.notFound, title: "unknown report", detail: error.description)
        case .conflict(let message):
            self.init(.conflict, title: "conflict", detail: message)
        case .shuttingDown:
            self.init(.serviceUnavailable, title: "shutting down", detail: error.description)
        case .stateDirectory, .ledger, .host:
            self.init(.internalServerError, title: "agent failure", detail: error.description)
        }
    }

    public init(_ error: InputError) {
        self.init(AgentError.input(error))
    }

    /// An error no route mapped: a 500 naming the request and what failed,
    /// in the error's own words and no more.
    init(unexpected error: any Error, request: Request) {
        self.init(
            .internalServerError, title: "internal error",
            detail: "\(request.method.rawValue) \(request.uri.path) failed: \(Self.describe(error))")
    }

    /// An encoding failure's message and where in the value it happened;
    /// its own description is a dump of Swift internals.
    private static func describe(_ error: any Error) -> String {
        guard case EncodingError.invalidValue(_, let context) = error else { return String(describing: error) }
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return "cannot encode the response as JSON: \(context.debugDescription)" + (path.isEmpty ? "" : " (at \(path))")
    }

    private struct Problem: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let problem = Problem(title: title, status: status.code, detail: detail, field: field)
        let body = try JSONEncoder().encode(problem)
        var headers = headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }
}
