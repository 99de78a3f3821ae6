/// `/proc/PID/cgroup`: which cgroup a process is in, per hierarchy.
///
/// Format (cgroups(7)): `hierarchy-ID:controller-list:cgroup-path`, one line
/// per hierarchy. cgroup v2 has the single line `0::/path`; v1 lines name
/// their controllers (`4:memory:/docker/abc`, `1:name=systemd:/`); hybrid
/// hosts have both. The path may contain colons, so only the first two split.
public struct CgroupMembership: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var hierarchyID: Int
        /// Empty for the v2 line; `["cpu", "cpuacct"]` or `["name=systemd"]` for v1.
        public var controllers: [String]
        /// Relative to the hierarchy's root, starting with `/`.
        public var path: String
    }

    public var entries: [Entry]

    public init(parsing text: String, file: String = "cgroup") throws(HostError) {
        var entries: [Entry] = []
        // Bytes, not Characters, as the other /proc parsers (see MemInfo).
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let id = UInt64(asciiDecimal: parts[0]).flatMap(Int.init(exactly:)),
                  parts[2].first == UInt8(ascii: "/")
            else {
                throw .unparsable(file: file, text: String(decoding: line, as: UTF8.self), reason: "expected 'id:controllers:/path'")
            }
            let controllers = parts[1].split(separator: UInt8(ascii: ",")).map { String(decoding: $0, as: UTF8.self) }
            entries.append(Entry(hierarchyID: id, controllers: controllers, path: String(decoding: parts[2], as: UTF8.self)))
        }
        self.entries = entries
    }

    /// The v2 (unified) path, from the `0::/path` line.
    public var unifiedPath: String? {
        entries.first { $0.hierarchyID == 0 && $0.controllers.isEmpty }?.path
    }

    /// The path `--unit` and `--cgroup` match against: the unified one,
    /// unless it is only the root (a v1 host's hybrid line), then the
    /// systemd hierarchy's.
    public var selectorPath: String? {
        unifiedPath.flatMap { $0 == "/" ? nil : $0 } ?? path(forController: "name=systemd") ?? unifiedPath
    }

    /// The path in the v1 hierarchy that carries `controller`.
    public func path(forController controller: String) -> String? {
        entries.first { $0.controllers.contains(controller) }?.path
    }
}

extension ProcFS {
    public func cgroupMembership(of pid: Int32? = nil) throws(HostError) -> CgroupMembership {
        let path = pid.map { process($0, "cgroup") } ?? current("cgroup")
        return try CgroupMembership(parsing: read(path), file: path.string)
    }
}
