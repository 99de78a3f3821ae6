import Dispatch
import Glibc

/// Turns SIGINT, SIGTERM and SIGHUP into an async sequence of signal names,
/// so a command can stop its attack in order instead of dying mid-attack.
// @unchecked: `sources` is set once in init and only cancelled in deinit.
final class SignalTrap: @unchecked Sendable {
    let signals: AsyncStream<String>
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        signals = stream
        sources = numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(Self.name(of: number)) }
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }

    static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(number)"
        }
    }
}
