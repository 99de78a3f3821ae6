/// `/proc/self/mountinfo`: the mounts this process sees, in its mount namespace.
///
/// Format (proc(5)), one mount per line:
/// ```
/// 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
/// (1)(2) (3)   (4)     (5)        (6)       (7)   (8) (9)    (10)       (11)
/// ```
/// mount ID, parent ID, major:minor, root within the file system, mount
/// point, mount options, zero or more optional fields (`shared:N`,
/// `master:N`), a lone `-`, file system type, source, super-block options.
/// Space, tab, newline and backslash in paths are written as octal escapes
/// (`\040`, `\011`, `\012`, `\134`), so splitting on spaces is safe and each
/// path field is unescaped after.
/// https://docs.kernel.org/filesystems/proc.html#proc-pid-mountinfo-information-about-mounts
public struct MountInfo: Hashable, Sendable {
    public struct Mount: Hashable, Sendable {
        public var mountID: Int
        public var parentID: Int
        /// `major:minor` of the device.
        public var device: String
        /// The directory of the file system mounted here (`/` unless a bind mount).
        public var root: String
        public var mountPoint: String
        public var options: [String]
        /// `shared:N`, `master:N`, `propagate_from:N`, `unbindable`.
        public var optionalFields: [String]
        public var fileSystemType: String
        /// Device or name the kernel was given (`/dev/vda`, `overlay`, `tmpfs`).
        public var source: String
        public var superOptions: [String]

        /// True for kernel interfaces that hold no user data (`proc`, `sysfs`,
        /// `cgroup2`, `devtmpfs`…): a free-space report or a disk-fill target
        /// should skip them. `tmpfs` and `overlay` hold real data and count.
        public var isPseudoFileSystem: Bool {
            Self.pseudoFileSystemTypes.contains(fileSystemType)
        }

        static let pseudoFileSystemTypes: Set<String> = [
            "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts",
            "devtmpfs", "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "proc", "pstore",
            "rpc_pipefs", "securityfs", "selinuxfs", "sysfs", "tracefs",
        ]
    }

    public var mounts: [Mount]

    public init(parsing text: String, file: String = "mountinfo") throws(HostError) {
        var mounts: [Mount] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 10, let separator = words[6...].firstIndex(of: "-"),
                  words.count - separator >= 4,
                  let mountID = Int(words[0]), let parentID = Int(words[1])
            else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'id parent dev root point options [optional…] - type source superoptions'")
            }
            mounts.append(Mount(
                mountID: mountID,
                parentID: parentID,
                device: words[2],
                root: Self.unescape(words[3]),
                mountPoint: Self.unescape(words[4]),
                options: words[5].split(separator: ",").map(String.init),
                optionalFields: Array(words[6..<separator]),
                fileSystemType: words[separator + 1],
                source: Self.unescape(words[separator + 2]),
                superOptions: words[separator + 3].split(separator: ",").map(String.init)
            ))
        }
        self.mounts = mounts
    }

    /// Turns the kernel's `\ooo` octal escapes back into bytes; anything that
    /// is not a three-digit octal escape is kept as written.
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), let value = octal(utf8[(index + 1)..<min(index + 4, utf8.count)]) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3 else { return nil }
        var value: UInt16 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + UInt16(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}

extension ProcFS {
    /// The mounts of this process's mount namespace.
    public func mountInfo() throws(HostError) -> MountInfo {
        let path = current("mountinfo")
        return try MountInfo(parsing: read(path), file: path.string)
    }
}
