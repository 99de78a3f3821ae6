import FoundationEssentials

/// An attack request as the API's `POST /v1/attacks` body carries it: one flat
/// JSON object in the CLI's vocabulary (`{"kind": "cpu", "load": "30%",
/// "duration": "60s", "lease": "10s"}`). Decoding it is one function, used by
/// the server and by the fuzzer (`stressd-fuzz attack-request`), so what is
/// fuzzed is exactly what a client reaches.
public struct AttackRequest: Sendable {
    public var spec: AttackSpec
    /// How long the attack lives without a renewal; nil means no lease.
    public var lease: Duration?
    /// Floors and ceilings the request tightens beyond the operator's policy.
    public var stricter: StricterPolicy

    /// Why a body is not an attack request.
    public enum Refusal: Error, Equatable {
        /// Not a JSON object at all (400): nothing in it can be named.
        case notAnObject
        /// An object whose fields are wrong (422), named by the error.
        case invalid(InputError)
    }

    /// Every field a request of `kind` may carry: the kind's own, the ones
    /// every attack takes, the API's `lease`, and the stricter policy's
    /// (`abort-unless` among them).
    public static func fieldNames(of kind: AttackKind) -> Set<String> {
        AttackSpec.parameterNames(of: kind).union(["kind", "duration", "labels", "lease", AbortCondition.field])
            .union(StricterPolicy.parameterNames(of: kind))
    }

    public init(json body: [UInt8]) throws(Refusal) {
        if let key = DuplicateJSONKey.first(in: body) {
            throw .invalid(.rejected(field: key, reason: "given twice; a request names each field once"))
        }
        var flat: FlatParameters
        let conditions: [AbortCondition]
        do {
            let decoded = try JSONDecoder().decode(AttackRequestBody.self, from: Data(body))
            flat = decoded.parameters
            conditions = decoded.abortConditions
        } catch let error as InputError {
            throw .invalid(error)
        } catch {
            throw .notAnObject
        }
        do throws(InputError) {
            lease = try flat.remove("lease").map { text throws(InputError) in try Duration.parse(text, field: "lease") }
            stricter = try flat["kind"].flatMap(AttackKind.init(rawValue:)).map { kind throws(InputError) in
                try StricterPolicy(kind: kind, taking: &flat)
            } ?? StricterPolicy()
            stricter.abortConditions = conditions
            spec = try AttackSpec(flat: &flat)
        } catch {
            throw .invalid(error)
        }
    }
}
