import CLinux
import Glibc
import SystemPackage

extension FillDirectory {
    /// The write size of `.writeZeros`: large enough that syscalls cost
    /// nothing next to the I/O.
    static let blockBytes = 4 << 20

    /// Takes `bytes` more space in new `fill-NNNN` files of at most
    /// `fileBytes` each. A full disk (ENOSPC) or quota (EDQUOT) ends the fill
    /// as a result, not an error. With `.fallocate`, a file system that
    /// cannot (EOPNOTSUPP) falls back to writing zeros, and the result says
    /// so. `shouldContinue` is asked before every file and, when writing
    /// zeros, before every 4 MiB block, so a caller can stop a slow fill.
    /// - Throws: other errors of open(2), fallocate(2) and write(2), e.g.
    ///   EIO, or EEXIST if a `fill-NNNN` name is taken.
    /// - Important: blocks: fallocate takes milliseconds per GiB, writing
    ///   zeros about a second per GiB (and ends with fdatasync(2)). Takes
    ///   disk space until `remove()`.
    public func fill(bytes: UInt64, method: Method = .fallocate, shouldContinue: () -> Bool = { true }) throws(HostError) -> FillResult {
        var result = FillResult(bytes: 0, method: method, shortfall: nil)
        var zeros: [UInt8] = []
        while result.bytes < bytes, result.shortfall == nil, shouldContinue() {
            let file = path.appending(Self.fileName(nextFile))
            let fd: CInt
            do {
                fd = try folder.createFile(Self.fileName(nextFile))
            } catch {
                guard let errno = error.errno, let shortfall = Shortfall(errno) else { throw error }
                result.shortfall = shortfall
                break
            }
            nextFile += 1
            defer { close(fd) }
            let length = min(fileBytes, bytes - result.bytes)
            var taken: (bytes: UInt64, shortfall: Shortfall?)?
            if result.method == .fallocate {
                taken = try Self.allocate(fd, length, file: file)
                if taken == nil { result.method = .writeZeros }
            }
            if result.method == .writeZeros {
                if zeros.isEmpty { zeros = [UInt8](repeating: 0, count: Self.blockBytes) }
                taken = try Self.writeZeros(fd, length, zeros, file: file, shouldContinue: shouldContinue)
            }
            result.bytes += taken?.bytes ?? 0
            filledBytes += taken?.bytes ?? 0
            result.shortfall = taken?.shortfall
        }
        return result
    }

    /// fallocate(2)s `length` bytes; on ENOSPC or EDQUOT takes what is left
    /// in halving steps, down to a page. Nil where the file system cannot
    /// fallocate (EOPNOTSUPP).
    private static func allocate(_ fd: Int32, _ length: UInt64, file: FilePath) throws(HostError) -> (bytes: UInt64, shortfall: Shortfall?)? {
        var taken: UInt64 = 0
        var step = length
        while taken < length {
            let end = taken + min(step, length - taken)
            if stressd_fallocate(fd, off_t(end)) == 0 {
                taken = end
                continue
            }
            let error = Errno(rawValue: Glibc.errno)
            if error == .interrupted { continue }
            if error == .notSupported && taken == 0 { return nil }  // EOPNOTSUPP == ENOTSUP on Linux
            guard let shortfall = Shortfall(error) else {
                throw .system(call: "fallocate", path: file.string, errno: error)
            }
            step /= 2
            if step < SystemConstants.pageSize {
                // ext4 keeps the part of a failed allocation it managed, and
                // grows the file to match: count what the file holds.
                var info = stat()
                let size = fstat(fd, &info) == 0 ? UInt64(max(info.st_size, 0)) : 0
                return (max(taken, size), shortfall)
            }
        }
        return (taken, nil)
    }

    /// Writes `length` zero bytes in blocks, then fdatasync(2)s them unless
    /// `shouldContinue` stopped it (the caller is about to delete them).
    private static func writeZeros(
        _ fd: Int32, _ length: UInt64, _ zeros: [UInt8], file: FilePath, shouldContinue: () -> Bool
    ) throws(HostError) -> (bytes: UInt64, shortfall: Shortfall?) {
        var written: UInt64 = 0
        while written < length {
            guard shouldContinue() else { return (written, nil) }
            let size = Int(min(UInt64(zeros.count), length - written))
            let count = zeros.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            if count > 0 {
                written += UInt64(count)
                continue
            }
            guard count < 0 else {
                throw .system(call: "write", path: file.string, errno: .ioError)  // 0 bytes: never for a regular file
            }
            let error = Errno(rawValue: Glibc.errno)
            if error == .interrupted { continue }
            guard let shortfall = Shortfall(error) else {
                throw .system(call: "write", path: file.string, errno: error)
            }
            return (written, shortfall)
        }
        if fdatasync(fd) != 0 {
            let error = Errno(rawValue: Glibc.errno)
            guard let shortfall = Shortfall(error) else {
                throw .system(call: "fdatasync", path: file.string, errno: error)
            }
            return (written, shortfall)
        }
        return (written, nil)
    }
}
