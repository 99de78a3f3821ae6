import SystemPackage

/// Small, careful file I/O for kernel and state files.
public enum TextFile {
    /// Reads a whole file as UTF-8 text, up to `limit` bytes, without trusting
    /// the size the file system reports (0 for /proc and /sys files).
    public static func read(_ path: FilePath, limit: Int = 4 << 20) throws(HostError) -> String {
        let bytes = try readBytes(path, limit: limit)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func readBytes(_ path: FilePath, limit: Int = 4 << 20) throws(HostError) -> [UInt8] {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec])
        } catch {
            throw .system(call: "open", path: path.string, errno: error as? Errno ?? .ioError)
        }
        defer { try? fd.close() }
        return try readBytes(from: fd, path: path, limit: limit)
    }

    /// The same from a descriptor already open; `path` names it in errors.
    public static func readBytes(from fd: FileDescriptor, path: FilePath, limit: Int) throws(HostError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while result.count < limit {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw .system(call: "read", path: path.string, errno: error as? Errno ?? .ioError)
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<min(count, limit - result.count)])
        }
        return result
    }

    /// Writes a short value to a kernel file (`cgroup.procs`, `oom_score_adj`)
    /// in one write(2), as the kernel expects.
    public static func writeValue(_ value: String, to path: FilePath) throws(HostError) {
        do {
            let fd = try FileDescriptor.open(path, .writeOnly, options: [.closeOnExec])
            defer { try? fd.close() }
            _ = try fd.writeAll(value.utf8)
        } catch {
            throw .system(call: "write", path: path.string, errno: error as? Errno ?? .ioError)
        }
    }
}
