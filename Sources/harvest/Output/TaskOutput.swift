import Foundation
import HarvestCore
import HarvestStore

/// A task as `--json` prints it: the columns of `octoparse_tasks`.
struct TaskOutput: Encodable {
    var task_id: String
    var name: String
    var group_id: Int64?
    var enabled: Bool
    var mode: String
    var destructive: Bool
    var sync_every: Int
    var table_name: String?
    var start_from: String?
    var cursor: String?
    /// Seconds between the cursor and now (by-time tasks).
    var lag_seconds: Int?
    var caught_up: Bool
    var pages_fetched: Int64
    var offset_cursor: String?
    var rows_harvested: Int64
    var state: String
    var last_error: String?
    var last_synced_at: String?
    var next_sync_at: String?
    var created_at: String

    init(_ task: TaskRecord) {
        task_id = task.taskID
        name = task.name
        group_id = task.groupID
        enabled = task.enabled
        mode = task.mode.rawValue
        destructive = task.destructive
        sync_every = task.syncEvery
        table_name = task.tableName
        start_from = task.startFrom
        cursor = task.cursor
        lag_seconds = Self.lag(task, now: Date())
        caught_up = task.caughtUp
        pages_fetched = task.pagesFetched
        offset_cursor = task.offsetCursor
        rows_harvested = task.rowsHarvested
        state = task.state
        last_error = task.lastError
        last_synced_at = task.lastSyncedAt
        next_sync_at = task.nextSyncAt
        created_at = task.createdAt
    }

    /// How far a by-time task's cursor is behind `now`, in whole seconds.
    static func lag(_ task: TaskRecord, now: Date) -> Int? {
        guard task.mode == .byTime, let cursor = task.cursor.flatMap(UTCTime.parse) else { return nil }
        return max(0, Int(now.timeIntervalSince(cursor).rounded()))
    }
}
