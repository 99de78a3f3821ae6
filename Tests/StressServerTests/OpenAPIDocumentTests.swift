import Foundation
import Hummingbird
import HummingbirdTesting
import StressAgent
import StressCore
import StressServer
import TestSupport
import Testing

/// The served OpenAPI document against the server it describes: the
/// router's own route list, the token middleware, and the parsers request
/// bodies go through. So adding a route, an exemption or a parameter
/// without documenting it fails here, and so does documenting one that
/// does not exist.
@Suite("HTTP API: the OpenAPI document")
struct OpenAPIDocumentTests: APITesting {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    static let examples = ["paths", "/v1/attacks", "post", "requestBody", "content", "application/json", "examples"]

    /// The API over an agent that is never run (nothing here starts an
    /// attack), and the operations its router has registered.
    func withAPI(_ body: @Sendable (Set<Operation>, any TestClientProtocol) async throws -> Void) async throws {
        try await TestAPI.with(running: false) { api in
            // RouterPath prints a `:id` capture as `{id}`, OpenAPI's spelling.
            let routes = Set(api.router.routes.map { Operation(method: $0.method.rawValue.lowercased(), path: "\($0.path)") })
            try await api.test { client in try await body(routes, client) }
        }
    }

    /// The document as the server serves it.
    func served(_ client: any TestClientProtocol) async throws -> YAMLOutline {
        let response = try await client.execute(uri: "/openapi.yaml", method: .get, headers: auth)
        try #require(response.status == .ok)
        return YAMLOutline(String(buffer: response.body))
    }

    /// A method and a path, as `GET /v1/attacks/{id}`.
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method.uppercased()) \(path)" }
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
    }

    func operations(_ document: YAMLOutline) -> Set<Operation> {
        Set(document.children(of: ["paths"]).flatMap { path in
            document.children(of: ["paths", path]).filter(Self.methods.contains).map { Operation(method: $0, path: path) }
        })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteIsServed() async throws {
        try await withAPI { routes, client in
            let documented = operations(try await served(client))
            #expect(!routes.isEmpty)
            #expect(routes.subtracting(documented).isEmpty, "served but not in openapi.yaml: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "in openapi.yaml but not served: \(documented.subtracting(routes).sorted())")
        }
    }

    /// A key given twice in one mapping reads as YAML, but parsers differ
    /// on which one counts; and every /v1 route refuses a query parameter
    /// it does not know (400), so each documents that answer.
    @Test func eachKeyOnceAndEveryV1RouteDocumentsItsBadQuery() async throws {
        try await withAPI { _, client in
            let document = try await served(client)
            var seen = Set<[String]>()
            for entry in document.entries where !entry.path.contains("-") {
                #expect(seen.insert(entry.path).inserted, "\(entry.path.joined(separator: " > ")) is given twice")
            }
            for operation in operations(document) where operation.path.hasPrefix("/v1/") {
                #expect(document.children(of: ["paths", operation.path, operation.method, "responses"]).contains("400"), "\(operation) lists no 400")
            }
        }
    }

    @Test func theDocumentIsServedAsYAMLBehindTheToken() async throws {
        try await withAPI { _, client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get, headers: auth)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml")
            #expect(String(buffer: response.body).hasPrefix("openapi: 3.1"))
            let anonymous = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.contentType] == "application/problem+json")
        }
    }

    /// Only operations documented with `security: []` answer without the
    /// token; the rest are refused before their handler runs.
    @Test func theDocumentedSecurityIsWhatTheMiddlewareEnforces() async throws {
        try await withAPI { _, client in
            let document = try await served(client)
            #expect(document.value(at: ["security", "-", "bearerToken"]) == "[]")
            #expect(document.value(at: ["components", "securitySchemes", "bearerToken", "scheme"]) == "bearer")
            for operation in operations(document).sorted() {
                let open = document.value(at: ["paths", operation.path, operation.method, "security"]) == "[]"
                let uri = operation.path.replacingOccurrences(of: "{id}", with: "cpu-00000000")
                let method = try #require(HTTPRequest.Method(operation.method.uppercased()))
                let response = try await client.execute(uri: uri, method: method, headers: [:])
                #expect((response.status == .unauthorized) == !open, "\(operation) answered \(response.status) without a token")
            }
        }
    }

    /// A method a documented path does not serve answers 405 and lists, in
    /// `Allow`, exactly the methods documented for that path.
    @Test func aMethodAPathDoesNotServeIs405AllowingTheDocumentedOnes() async throws {
        try await withAPI { _, client in
            let document = try await served(client)
            let byPath = Dictionary(grouping: operations(document), by: \.path)
            for (path, documented) in byPath.sorted(by: { $0.key < $1.key }) {
                #expect(!documented.contains { $0.method == "patch" }, "pick a method \(path) does not serve")
                let uri = path.replacingOccurrences(of: "{id}", with: "cpu-00000000")
                let response = try await client.execute(uri: uri, method: .patch, headers: auth)
                #expect(response.status == .methodNotAllowed, "PATCH \(path) answered \(response.status)")
                #expect(response.headers[.allow] == documented.map { $0.method.uppercased() }.sorted().joined(separator: ", "), "\(path)")
            }
        }
    }

    /// The body schema of each kind names exactly the parameters the kind's
    /// spec accepts, plus `kind`, `duration`, `labels`, the API's `lease` and
    /// the stricter-policy names the kind takes (`floor`, `max-load-avg`).
    @Test(arguments: AttackKind.allCases)
    func theRequestSchemaOfEachKindNamesItsRealParameters(kind: AttackKind) async throws {
        try await withAPI { _, client in
            let document = try await served(client)
            let mapping = ["components", "schemas", "AttackRequest", "discriminator", "mapping", kind.rawValue]
            let reference = try #require(document.value(at: mapping)).trimmingCharacters(in: ["\""])
            let schema = try #require(reference.split(separator: "/").last.map(String.init))
            let documented = Set(document.children(of: ["components", "schemas", schema, "properties"]))
            let accepted = AttackRequest.fieldNames(of: kind)
            #expect(documented == accepted, "\(schema): documents \(documented.subtracting(accepted).sorted()) that \(kind) refuses, misses \(accepted.subtracting(documented).sorted())")
        }
    }

    /// Each example body goes through the POST handler's own decoding
    /// (`AttackRequest`: JSON to flat parameters, `lease`, then the spec) without an error,
    /// so the examples' names and syntax are real. Decoded, not posted: a
    /// kill example must never signal a real process.
    @Test func everyExampleBodyDecodesAsTheServerDecodesIt() async throws {
        try await withAPI { _, client in
            let document = try await served(client)
            var kinds: Set<AttackKind> = []
            for name in document.children(of: Self.examples) {
                let json = try #require(document.value(at: Self.examples + [name, "value"]))
                let spec = try AttackRequest(json: Array(json.utf8)).spec
                #expect(spec.kind.rawValue == name, "the example named \(name) is a \(spec.kind) attack")
                kinds.insert(spec.kind)
            }
            #expect(kinds == Set(AttackKind.allCases))
        }
    }
}
