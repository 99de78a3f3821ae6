import StressCore
import SystemPackage

extension IOLoad {
    /// How fast a paced load goes; both count reads and writes alike.
    public enum Pace: Hashable, Sendable {
        case bytesPerSecond(UInt64)
        case operationsPerSecond(UInt64)
    }

    /// What one I/O worker does, checked once here so the loop never meets a
    /// value that makes no sense (a zero block, a fraction of 1.5).
    public struct Configuration: Hashable, Sendable {
        /// The largest block (an `io` attack's own bound): one aligned
        /// buffer of it is allocated.
        public static let maxBlockBytes = Int(IOSpec.maxBlockSize.bytes)

        /// The file made in the load's directory; one plain name.
        public let fileName: String
        /// The size of the file the offsets fall in, in whole blocks: the
        /// asked size rounded down to a multiple of `blockBytes`.
        public let workingSetBytes: UInt64
        /// Bytes per read or write: a multiple of 512, so direct I/O can use it.
        public let blockBytes: Int
        /// The share of operations that are reads: 0 writes only, 1 reads only.
        public let readFraction: Double
        /// Nil: as fast as the device goes, without sleeping.
        public let pace: Pace?
        /// O_DIRECT: bypass the page cache, so every operation reaches the device.
        public let directIO: Bool
        /// Block after block from the start, wrapping at the end, instead of
        /// random offsets: streaming I/O, as a backup or a log writer does.
        public let sequential: Bool
        /// Fixes the sequence of offsets and of reads and writes.
        public let seed: UInt64

        /// - Throws: `InputError` naming the parameter at fault.
        public init(
            fileName: String, workingSetBytes: UInt64, blockBytes: Int, readFraction: Double,
            pace: Pace? = nil, directIO: Bool = true, sequential: Bool = false, seed: UInt64 = 0
        ) throws(InputError) {
            guard let component = FilePath.Component(fileName), component.kind == .regular, !fileName.contains("\0") else {
                throw .malformed(field: "file", value: fileName, expected: "one plain file name")
            }
            guard blockBytes > 0, blockBytes % 512 == 0, blockBytes <= Self.maxBlockBytes else {
                throw .outOfRange(field: "block-size", value: String(blockBytes), allowed: "a multiple of 512 bytes, at most \(IOSpec.maxBlockSize)")
            }
            guard workingSetBytes >= UInt64(blockBytes) else {
                throw .outOfRange(field: "working-set", value: String(workingSetBytes), allowed: "at least one block (\(blockBytes) bytes)")
            }
            guard readFraction.isFinite, (0...1).contains(readFraction) else {
                throw .outOfRange(field: "read-fraction", value: String(readFraction), allowed: "from 0 (writes only) to 1 (reads only)")
            }
            switch pace {
            case .bytesPerSecond(0), .operationsPerSecond(0):
                throw .outOfRange(field: "pace", value: "0", allowed: "more than 0 per second, or none for full speed")
            case .bytesPerSecond, .operationsPerSecond, nil:
                break
            }
            self.fileName = fileName
            self.workingSetBytes = workingSetBytes - workingSetBytes % UInt64(blockBytes)
            self.blockBytes = blockBytes
            self.readFraction = readFraction
            self.pace = pace
            self.directIO = directIO
            self.sequential = sequential
            self.seed = seed
        }

        /// Blocks in the working set: the choices of a random offset.
        var blocks: UInt64 { workingSetBytes / UInt64(blockBytes) }

        /// Nanoseconds between operations at `pace`; nil when unpaced.
        var interval: Double? {
            switch pace {
            case .bytesPerSecond(let rate): 1e9 * Double(blockBytes) / Double(rate)
            case .operationsPerSecond(let rate): 1e9 / Double(rate)
            case nil: nil
            }
        }
    }
}
