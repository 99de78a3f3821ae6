/// A set of program counters with insertion order, cleared in constant
/// time (a sparse set): the threads of one step.
struct ThreadList {
    private var sparse: [Int]
    private(set) var members: [Int] = []

    init(capacity: Int) {
        sparse = Array(repeating: 0, count: capacity)
        members.reserveCapacity(capacity)
    }

    /// False if `pc` was already in the list.
    mutating func insert(_ pc: Int) -> Bool {
        let slot = sparse[pc]
        if slot < members.count, members[slot] == pc { return false }
        sparse[pc] = members.count
        members.append(pc)
        return true
    }

    mutating func removeAll() {
        members.removeAll(keepingCapacity: true)
    }
}
