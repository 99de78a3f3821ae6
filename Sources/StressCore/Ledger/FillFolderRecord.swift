/// A fill folder as the ledger records it, before it is made: where, and the
/// directory it is made in, as the attack opened and holds it. Undo reaches
/// the folder only through a parent with that identity, walked without
/// following links, and only if the folder is a directory owned by `owner`:
/// whatever another user renamed, replaced or linked there is left alone
/// and reported, never chased.
public struct FillFolderRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    /// `PARENT/.stressd-fill-ID`.
    public var path: String
    /// The parent directory's identity when the attack opened it; nil in
    /// records written before stressd recorded it (the folder is then
    /// checked by name and owner only).
    public var parent: FileIdentity?
    /// The uid the folder is made by: a folder owned by anyone else is not stressd's.
    public var owner: UInt32?

    /// `.stressd-fill-ID`: the one name an attack's folder has (a disk fill's
    /// or an I/O load's; the ID names the kind), and the only one undo removes.
    public static func folderName(for id: AttackID) -> String {
        ".stressd-fill-\(id.rawValue)"
    }

    public init(path: String, parent: FileIdentity?, owner: UInt32?) {
        self.path = path
        self.parent = parent
        self.owner = owner
    }

    private enum CodingKeys: String, CodingKey {
        case path, parent, owner
    }

    /// Also reads the plain path string older records hold.
    public init(from decoder: any Decoder) throws {
        if let path = try? decoder.singleValueContainer().decode(String.self) {
            self.init(path: path, parent: nil, owner: nil)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try container.decode(String.self, forKey: .path),
            parent: try container.decodeIfPresent(FileIdentity.self, forKey: .parent),
            owner: try container.decodeIfPresent(UInt32.self, forKey: .owner))
    }

    public var description: String { path }
}
