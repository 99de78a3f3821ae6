import Hummingbird

/// `GET /openapi.yaml`: the API's description, kept in the repo beside the
/// routes (a test checks the two match) and compiled into the binary, so
/// the agent a client talks to describes exactly itself.
///
/// It is behind the token like every route but `/healthz`: the document is
/// public in the repo, so exempting it would gain nothing and add a second
/// exception to the one rule the token middleware keeps.
enum OpenAPIDocument {
    static let contentType = "application/yaml"

    static func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
    }
}
