/// Samples of a run of any length, at most `capacity` of them: when full,
/// every other one is dropped and from then on only every other one offered
/// is kept, so what is kept stays evenly spread over the whole run. A 10 s
/// attack sampled at 4 Hz keeps every sample (a curve); an hour keeps one
/// every few seconds, and its report stays a few hundred kilobytes.
public struct BoundedSeries<Element> {
    public private(set) var elements: [Element] = []
    public let capacity: Int
    /// One offered sample in `keepEvery` is kept; doubles at each thinning.
    private var keepEvery = 1
    private var offered = 0

    /// `capacity` is rounded up to an even count of at least 2, so that
    /// thinning keeps the first sample and the spacing stays even.
    public init(capacity: Int) {
        self.capacity = max(2, capacity + capacity % 2)
    }

    public mutating func append(_ element: Element) {
        defer { offered += 1 }
        guard offered % keepEvery == 0 else { return }
        if elements.count == capacity {
            elements = elements.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            keepEvery *= 2
            guard offered % keepEvery == 0 else { return }
        }
        elements.append(element)
    }
}

extension BoundedSeries: Sendable where Element: Sendable {}
