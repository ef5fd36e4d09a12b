/// The Octoparse invariants: every task's table equals the upstream rows as a multiset, and its
/// bookkeeping agrees with its rows (windows that never overlap, each complete and holding exactly the
/// rows it recorded, the cursor past every window, no pending export batch).
public enum TaskChecks {
    public static func violations(
        tasks: [ObservedTask],
        windows: [ObservedWindow],
        upstream: [UpstreamTask]
    ) -> [Violation] {
        var violations: [Violation] = []
        let stored = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let windowsByTask = Dictionary(grouping: windows, by: \.taskID)
        for truth in upstream {
            guard let task = stored[truth.id] else {
                violations.append(
                    Violation("task table equals upstream", "task \(truth.id) (\(truth.kind)) not registered")
                )
                continue
            }
            violations += check(task, truth: truth, windows: windowsByTask[task.id] ?? [])
        }
        return violations
    }

    private static func check(_ task: ObservedTask, truth: UpstreamTask, windows: [ObservedWindow]) -> [Violation] {
        var violations: [Violation] = []
        func violation(_ invariant: String, _ detail: String) {
            violations.append(Violation(invariant, "task \(task.id) (\(truth.kind), \(task.mode)): \(detail)"))
        }
        if task.state != "active" { violation("task healthy", "\(task.state): \(task.lastError ?? "no error")") }
        let (missing, extra) = RowMultiset.difference(stored: task.rows, upstream: truth.rows)
        if missing > 0 || extra > 0 {
            let storedCount = task.rows.values.reduce(0, +)
            let upstreamCount = truth.rows.values.reduce(0, +)
            violation(
                "task table equals upstream",
                "\(storedCount) rows stored, \(upstreamCount) upstream: \(missing) missing, \(extra) extra"
            )
        }
        let tableRows = task.rows.values.reduce(0, +)
        if task.rowsHarvested != tableRows {
            violation("cursors consistent", "rows_harvested says \(task.rowsHarvested), the table holds \(tableRows)")
        }
        if task.exportBatch != nil { violation("cursors consistent", "an export batch is still pending") }
        guard task.mode == "by-time" else { return violations }
        if task.rowsOutsideWindows > 0 {
            violation("cursors consistent", "\(task.rowsOutsideWindows) row(s) belong to no recorded window")
        }
        let ordered = windows.sorted { ($0.from, $0.id) < ($1.from, $1.id) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.from < previous.to {
            violation(
                "cursors consistent",
                "window \(previous.id) [\(previous.from), \(previous.to)) overlaps window \(next.id) "
                    + "[\(next.from), \(next.to))"
            )
        }
        for window in ordered {
            if window.state != "complete" { violation("cursors consistent", "window \(window.id) is \(window.state)") }
            if window.rowsStored != window.rowsInTable {
                violation(
                    "cursors consistent",
                    "window \(window.id) recorded \(window.rowsStored) rows, the table holds \(window.rowsInTable)"
                )
            }
        }
        if let last = ordered.last, (task.cursor ?? "") < last.to {
            violation(
                "cursors consistent",
                "cursor \(task.cursor ?? "NULL") is before the end of window \(last.id), \(last.to)"
            )
        }
        return violations
    }
}
