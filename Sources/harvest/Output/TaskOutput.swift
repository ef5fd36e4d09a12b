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
        rows_harvested = task.rowsHarvested
        state = task.state
        last_error = task.lastError
        last_synced_at = task.lastSyncedAt
        next_sync_at = task.nextSyncAt
        created_at = task.createdAt
    }
}
