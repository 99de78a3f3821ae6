import FoundationEssentials

/// The values in a Prometheus instant query's answer (see
/// `PrometheusCheck`'s probe for the format): a vector's samples, or a
/// scalar's one value. An error answer, or a matrix or string result,
/// says so in `Refusal.reason`.
struct PrometheusAnswer {
    struct Refusal: Error {
        let reason: String
    }

    let samples: [Double]

    private struct Body: Decodable {
        var status: String
        var error: String?
        var data: Data?

        struct Data: Decodable {
            var resultType: String
            var result: Result
        }

        /// A vector's list of samples, or a scalar's `[time, "value"]`.
        enum Result: Decodable {
            case vector([Sample])
            case pair([Value])

            init(from decoder: any Decoder) throws {
                if let samples = try? [Sample](from: decoder) {
                    self = .vector(samples)
                } else {
                    self = .pair(try [Value](from: decoder))
                }
            }
        }

        struct Sample: Decodable {
            var value: [Value]
        }

        /// A pair's members: the time is a number, the value a string.
        enum Value: Decodable {
            case number(Double)
            case text(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }
    }

    init(status: Int, body: [UInt8]) throws(Refusal) {
        guard let decoded = try? JSONDecoder().decode(Body.self, from: Data(body)) else {
            throw Refusal(reason: "answered \(status) with something that is not a query result")
        }
        guard decoded.status == "success", let data = decoded.data else {
            throw Refusal(reason: "the query failed (\(status)): \(decoded.error ?? "no reason given")")
        }
        switch (data.resultType, data.result) {
        case ("vector", .vector(let samples)):
            self.samples = try samples.map { sample throws(Refusal) in try Self.value(sample.value) }
        case ("scalar", .pair(let pair)):
            samples = [try Self.value(pair)]
        default:
            throw Refusal(reason: "the query returned a \(data.resultType), not a vector or a scalar; write an instant query")
        }
    }

    /// The value of `[time, "value"]`; "NaN", "+Inf" and "-Inf" as Prometheus writes them.
    private static func value(_ pair: [Body.Value]) throws(Refusal) -> Double {
        guard pair.count == 2, case .text(let text) = pair[1], let value = Double(text) else {
            throw Refusal(reason: "a sample is not [time, \"value\"]")
        }
        return value
    }
}
