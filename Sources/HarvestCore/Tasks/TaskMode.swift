/// How Harvest reads an Octoparse task's rows.
public enum TaskMode: String, NamedChoice, Sendable, Codable {
    /// Storage-time windows (`GetDataOfTaskByTimeAndPaging`): complete, re-checkable, the default.
    case byTime = "by-time"
    /// `GetDataOfTaskByOffset`, resumable from the stored offset.
    case offset
    /// The not-exported queue (two-phase `gettop`/`update`; one-phase only with `--destructive`).
    case notExported = "not-exported"
    /// The rows of the most recent cloud run (`GetLastDataOfTaskByPaging`).
    case lastRun = "last-run"

    public static let choiceName = "task mode"
}
