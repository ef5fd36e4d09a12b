/// How Harvest reads an Octoparse task's rows.
public enum TaskMode: String, CaseIterable, Sendable, Codable {
    /// Storage-time windows (`GetDataOfTaskByTimeAndPaging`): complete, re-checkable, the default.
    case byTime = "by-time"
    /// `GetDataOfTaskByOffset`, resumable from the stored offset.
    case offset
    /// The not-exported queue (two-phase `gettop`/`update`; one-phase only with `--destructive`).
    case notExported = "not-exported"
    /// The rows of the most recent cloud run (`GetLastDataOfTaskByPaging`).
    case lastRun = "last-run"

    /// Parses `--mode`.
    public init(parsing text: String) throws(InputError) {
        guard let mode = TaskMode(rawValue: text.lowercased()) else {
            throw InputError(
                "unknown task mode \(text.quotedForMessage): expected one of "
                    + TaskMode.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        self = mode
    }
}
