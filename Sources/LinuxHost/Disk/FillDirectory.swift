import CLinux
import Glibc
import SystemPackage

/// The folder a disk attack fills, `PATH/.stressd-fill-ID/`, holding only
/// files named `fill-NNNN` that stressd wrote. Removing it deletes those and
/// nothing else, so a fill can never take a user's file with it.
public final class FillDirectory {
    /// How the space was taken.
    public enum Method: String, Sendable, Codable {
        /// fallocate(2): blocks reserved without writing them; milliseconds per GiB.
        case fallocate
        /// Zeros written in large blocks, where the file system cannot fallocate.
        case writeZeros = "write-zeros"
    }

    /// Why a fill stopped short of what it was asked for.
    public enum Shortfall: String, Sendable, Codable {
        /// ENOSPC: the file system is full, which is what a fill is for.
        case diskFull = "disk-full"
        /// EDQUOT: the user's quota is used up.
        case quota
    }

    public struct FillResult: Sendable {
        public var bytes: UInt64
        public var method: Method
        public var shortfall: Shortfall?
    }

    /// Largest single file: progress stays visible and no file is absurd.
    public static let fileBytes: UInt64 = 1 << 30
    static let blockBytes = 4 << 20
    static let filePrefix = "fill-"

    public let path: FilePath
    public private(set) var filledBytes: UInt64 = 0
    private var nextFile = 0

    /// A handle on an existing (or already removed) fill folder, for cleanup.
    public init(path: FilePath) {
        self.path = path
    }

    /// Creates `parent/name` (mode 0700). Errors keep the errno, so callers
    /// can tell a missing parent (ENOENT), a file (ENOTDIR), a read-only file
    /// system (EROFS) and no permission (EACCES) apart.
    public static func create(in parent: FilePath, name: String) throws(HostError) -> FillDirectory {
        let path = parent.appending(name)
        guard mkdir(path.string, 0o700) == 0 else {
            throw .system(call: "mkdir", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        return FillDirectory(path: path)
    }

    public var exists: Bool { Directory.exists(path) }

    /// Takes `bytes` more space, in files of at most `fileBytes`. A full disk
    /// or quota is a result, not an error. With `.fallocate`, a file system
    /// that cannot (EOPNOTSUPP) falls back to writing zeros.
    /// - Important: blocks; writing zeros takes about a second per GiB.
    public func fill(bytes: UInt64, method: Method = .fallocate, shouldContinue: () -> Bool = { true }) throws(HostError) -> FillResult {
        var result = FillResult(bytes: 0, method: method, shortfall: nil)
        while result.bytes < bytes, result.shortfall == nil, shouldContinue() {
            let length = min(Self.fileBytes, bytes - result.bytes)
            let file = path.appending(Self.filePrefix + String(nextFile).leftPadded(to: 4))
            nextFile += 1
            let fd = open(file.string, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw .system(call: "open", path: file.string, errno: Errno(rawValue: Glibc.errno))
            }
            defer { close(fd) }
            var written: UInt64 = 0
            if result.method == .fallocate {
                switch Self.allocate(fd, length) {
                case .success(let taken):
                    written = taken.bytes
                    result.shortfall = taken.shortfall
                case .failure(let error) where error == .notSupported:  // EOPNOTSUPP (== ENOTSUP on Linux)
                    result.method = .writeZeros
                case .failure(let error):
                    throw .system(call: "fallocate", path: file.string, errno: error)
                }
            }
            if result.method == .writeZeros {
                let taken = try Self.writeZeros(fd, length, file: file, shouldContinue: shouldContinue)
                written = taken.bytes
                result.shortfall = taken.shortfall
            }
            result.bytes += written
            filledBytes += written
        }
        return result
    }

    /// fallocate, and on ENOSPC/EDQUOT take what is left in halving steps.
    private static func allocate(_ fd: Int32, _ length: UInt64) -> Swift.Result<(bytes: UInt64, shortfall: Shortfall?), Errno> {
        var step = length
        var taken: UInt64 = 0
        while taken < length, step >= 1 << 20 {
            let size = min(step, length - taken)
            if stressd_fallocate(fd, off_t(taken + size)) == 0 {
                taken += size
                continue
            }
            let error = Errno(rawValue: Glibc.errno)
            guard error == .noSpace || error == .diskQuotaExceeded else { return .failure(error) }
            step /= 2
            if step < 1 << 20 {
                return .success((taken, error == .noSpace ? .diskFull : .quota))
            }
        }
        return .success((taken, nil))
    }

    private static func writeZeros(
        _ fd: Int32, _ length: UInt64, file: FilePath, shouldContinue: () -> Bool
    ) throws(HostError) -> (bytes: UInt64, shortfall: Shortfall?) {
        let block = [UInt8](repeating: 0, count: blockBytes)
        var written: UInt64 = 0
        defer { fdatasync(fd) }
        while written < length, shouldContinue() {
            let size = Int(min(UInt64(blockBytes), length - written))
            let count = block.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            if count > 0 {
                written += UInt64(count)
                continue
            }
            let error = Errno(rawValue: Glibc.errno)
            if error == .interrupted { continue }
            if error == .noSpace { return (written, .diskFull) }
            if error == .diskQuotaExceeded { return (written, .quota) }
            throw .system(call: "write", path: file.string, errno: error)
        }
        return (written, nil)
    }

    /// Deletes the fill files and the folder; a missing folder is already
    /// removed. Anything inside that stressd did not write is left alone and
    /// reported, and the folder then stays.
    public func remove() throws(HostError) {
        guard exists else { return }
        let names = try Directory.entries(path)
        let foreign = names.filter { !Self.isFillFile($0) }
        for name in names where Self.isFillFile(name) {
            if unlink(path.appending(name).string) != 0 && Glibc.errno != ENOENT {
                throw .system(call: "unlink", path: path.appending(name).string, errno: Errno(rawValue: Glibc.errno))
            }
        }
        guard foreign.isEmpty else {
            throw .unparsable(
                file: path.string, text: foreign.joined(separator: ", "),
                reason: "files stressd did not write are in its fill folder; they were left alone")
        }
        try Directory.remove(path)
    }

    static func isFillFile(_ name: String) -> Bool {
        name.hasPrefix(filePrefix) && name.dropFirst(filePrefix.count).allSatisfy(\.isNumber)
            && name.count > filePrefix.count
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
