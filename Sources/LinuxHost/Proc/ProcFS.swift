import SystemPackage

/// The one place that spells `/proc`. Every reader asks it for a path, so
/// tests point it at a fixture tree (`ProcFS(root: "Tests/Fixtures/...")`).
public struct ProcFS: Sendable {
    public let root: FilePath

    public init(root: FilePath = "/proc") {
        self.root = root
    }

    /// `/proc/<pid>/<file>`.
    public func process(_ pid: Int32, _ file: String) -> FilePath {
        root.appending(String(pid)).appending(file)
    }

    /// `/proc/self/<file>`.
    public func current(_ file: String) -> FilePath {
        root.appending("self").appending(file)
    }

    /// `/proc/<relative path>`, e.g. `sys/kernel/random/boot_id`.
    public func file(_ relative: String) -> FilePath {
        var path = root
        for component in relative.split(separator: "/") {
            path.append(String(component))
        }
        return path
    }

    /// Reads a /proc file as text. /proc reports sizes of 0, so this reads
    /// until EOF, capped at `limit` bytes so a strange file cannot eat memory.
    public func read(_ path: FilePath, limit: Int = 4 << 20) throws(HostError) -> String {
        try TextFile.read(path, limit: limit)
    }

    /// The numeric directories: every process visible in this pid namespace.
    public func processIDs() throws(HostError) -> [Int32] {
        try Directory.entries(root).compactMap { Int32($0) }.sorted()
    }
}
