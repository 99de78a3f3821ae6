import Foundation
import Hummingbird
import HummingbirdTesting
import LinuxHost
import StressAgent
import StressCore
@testable import StressServer
import TestSupport
import Testing

/// Whatever goes wrong, the API answers `application/problem+json` (RFC
/// 9457) with `type`, `title`, `status` and `detail`, and the headers HTTP
/// requires: `Allow` on 405, `WWW-Authenticate` on 401. The agent is never
/// run: nothing here starts an attack.
@Suite("HTTP API: every error is problem+json")
struct ErrorResponsesTests: APITesting {
    /// The response's problem document, checked to be one.
    func problem(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try json(response)
        #expect(problem["type"] as? String == "about:blank")
        #expect(problem["status"] as? Int == response.status.code)
        #expect(problem["title"] is String)
        #expect(problem["detail"] is String)
        return problem
    }

    @Test(arguments: ["/v1/nothing", "/v1/attacks/cpu-00000000/nothing", "/"])
    func anUnknownPathIs404(path: String) async throws {
        try await withAPI(running: false) { client, _ in
            let response = try await client.execute(uri: path, method: .get, headers: auth)
            #expect(response.status == .notFound)
            #expect(try problem(response)["detail"] as? String == "no route GET \(path); /openapi.yaml lists the API")
        }
    }

    @Test(arguments: [
        (HTTPRequest.Method.put, "/v1/attacks", "DELETE, GET, POST"),
        (.patch, "/v1/attacks/cpu-00000000", "DELETE, GET"),
        (.get, "/v1/attacks/cpu-00000000/lease", "POST"),
        (.post, "/healthz", "GET"),
    ])
    func aWrongMethodOnAKnownPathIs405WithAllow(method: HTTPRequest.Method, path: String, allowed: String) async throws {
        try await withAPI(running: false) { client, _ in
            let response = try await client.execute(uri: path, method: method, headers: auth)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == allowed)
            #expect((try problem(response)["detail"] as? String)?.contains(allowed) == true)
        }
    }

    /// Without the token the answer is 401 whether the route exists or not,
    /// so routes cannot be probed anonymously.
    @Test func withoutTheTokenEvenAnUnknownPathIs401() async throws {
        try await withAPI(running: false) { client, _ in
            let response = try await client.execute(uri: "/v1/nothing", method: .get)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="stressd""#)
            _ = try problem(response)
        }
    }

    @Test func aMissingReportIsAnUnknownReportNotAnUnknownAttack() async throws {
        try await withAPI(running: false) { client, _ in
            let report = try await client.execute(uri: "/v1/reports/cpu-00000000", method: .get, headers: auth)
            #expect(report.status == .notFound)
            #expect(try problem(report)["title"] as? String == "unknown report")
            let attack = try await client.execute(uri: "/v1/attacks/cpu-00000000", method: .get, headers: auth)
            #expect(attack.status == .notFound)
            #expect(try problem(attack)["title"] as? String == "unknown attack")
        }
    }

    /// Conflicting fields are refused by the CLI's parsers, so with its words.
    @Test func ofBesideFillToIs422NamingBoth() async throws {
        try await withAPI(running: false) { client, _ in
            let body = ByteBuffer(string: #"{"kind": "mem", "fill-to": "50%", "of": "total", "duration": "10s"}"#)
            let response = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: body)
            #expect(response.status == .unprocessableContent)
            let problem = try problem(response)
            #expect(problem["field"] as? String == "of")
            #expect((problem["detail"] as? String)?.contains("--fill-to") == true)
        }
    }

    @Test func aHostThatCannotBeReadIsA500SayingWhatFailed() async throws {
        let missing = "/nonexistent-stressd-test/proc"
        try await withAPI(observer: HostObserver(proc: ProcFS(root: .init(missing)), interval: .milliseconds(1)), running: false) { client, _ in
            let response = try await client.execute(uri: "/v1/host", method: .get, headers: auth)
            #expect(response.status == .internalServerError)
            let detail = try #require(try problem(response)["detail"] as? String)
            #expect(detail.hasPrefix("GET /v1/host failed: "))
            #expect(detail.contains(missing))
        }
    }

    /// JSONEncoder refuses NaN; the failure is named, not an empty 500.
    @Test func aResponseThatCannotBeEncodedIsA500SayingWhatFailed() async throws {
        let router = Router()
        router.add(middleware: UnexpectedErrorMiddleware())
        router.get("nan") { _, _ in try JSONResponse.make(["load": Double.nan]) }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/nan", method: .get)
            #expect(response.status == .internalServerError)
            let detail = try #require(try problem(response)["detail"] as? String)
            #expect(detail == "GET /nan failed: cannot encode the response as JSON: Unable to encode Double.nan directly in JSON. (at load)")
        }
    }
}
