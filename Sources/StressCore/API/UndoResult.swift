/// What undoing one attack did, for `stressd cleanup` and the reports.
public struct UndoResult: Codable, Hashable, Sendable {
    public var id: AttackID
    /// Which layer undid it.
    public var layer: CleanupLayer
    public var killedWorkers: [Int32] = []
    public var removedCgroups: [String] = []
    /// Fill folders deleted.
    public var removedFiles: [String] = []
    /// Paused processes sent SIGCONT.
    public var resumedProcesses: [Int32] = []
    /// Things worth knowing that are not failures (a reused pid left alone).
    public var notes: [String] = []
    public var errors: [String] = []

    public init(id: AttackID, layer: CleanupLayer) {
        self.id = id
        self.layer = layer
    }

    public var didSomething: Bool {
        !killedWorkers.isEmpty || !removedCgroups.isEmpty || !removedFiles.isEmpty || !resumedProcesses.isEmpty
    }
}
