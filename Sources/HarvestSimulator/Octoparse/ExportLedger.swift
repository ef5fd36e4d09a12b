/// Which rows of one task the not-exported queue has handed out, oldest first.
///
/// Exported rows are every index below ``prefix`` plus a few above it (rows exported while an older,
/// late-committed row was not yet readable), so the ledger stays small on a task of a million rows.
struct ExportLedger: Sendable {
    private(set) var prefix = 0
    private var above: Set<Int> = []
    /// The rows the last `gettop` returned, waiting for `update` to confirm them.
    private var pendingTop: [Int] = []

    /// Rows marked exported.
    var exportedCount: Int { prefix + above.count }

    /// The oldest `limit` readable rows not yet exported, and how many readable rows are not exported.
    func oldestUnexported(_ visibility: Visibility, limit: Int) -> (indices: [Int], unexported: Int) {
        var indices: [Int] = []
        var position = visibility.position(of: prefix)
        while indices.count < limit, position < visibility.count {
            let index = visibility.index(atPosition: position)
            if !above.contains(index) { indices.append(index) }
            position += 1
        }
        return (indices, visibility.count - exportedCount)
    }

    mutating func markExported(_ indices: [Int]) {
        for index in indices where index >= prefix {
            above.insert(index)
        }
        while above.remove(prefix) != nil {
            prefix += 1
        }
    }

    /// Remembers what `gettop` returned, for the next `update`.
    mutating func holdTop(_ indices: [Int]) {
        pendingTop = indices
    }

    /// `update`: marks the rows the last `gettop` returned as exported.
    mutating func confirmTop() {
        markExported(pendingTop)
        pendingTop = []
    }
}
