import Glibc
import SystemPackage

/// Kernel files a guard reads ten times a second (/proc/meminfo, cgroup
/// memory files, /proc/loadavg), opened once and re-read with pread(2) from
/// offset 0, which makes the kernel generate their text afresh. Once open,
/// a reading needs no new descriptor, so the guard keeps seeing the host
/// when the process is out of descriptors (a flood of connections) instead
/// of going blind.
///
/// - Important: not thread-safe; one per reader.
public final class HeldFiles {
    private var descriptors: [FilePath: CInt] = [:]

    public init() {}

    deinit {
        for fd in descriptors.values { close(fd) }
    }

    /// The file's whole text, up to `limit` bytes; nil if it does not exist
    /// (a cgroup level without that controller), asked again next time.
    public func text(_ path: FilePath, limit: Int = 64 << 10) throws(HostError) -> String? {
        guard let fd = try descriptor(path) else { return nil }
        var bytes = [UInt8](repeating: 0, count: limit)
        var count = 0
        while count < limit {
            let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + count, limit - count, off_t(count)) }
            if got > 0 {
                count += got
            } else if got == 0 {
                break
            } else if Glibc.errno != EINTR {
                throw .system(call: "pread", path: path.string, errno: Errno(rawValue: Glibc.errno))
            }
        }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }

    private func descriptor(_ path: FilePath) throws(HostError) -> CInt? {
        if let fd = descriptors[path] { return fd }
        let fd = open(path.string, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if Glibc.errno == ENOENT { return nil }
            throw .system(call: "open", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        descriptors[path] = fd
        return fd
    }
}
