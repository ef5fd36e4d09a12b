import GRDB
import HarvestCore

/// A row of `octoparse_tasks`.
public struct TaskRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "octoparse_tasks"

    public var taskID: String
    public var name: String
    public var groupID: Int64?
    public var enabled: Bool
    public var mode: TaskMode
    public var destructive: Bool
    public var syncEvery: Int
    public var tableName: String?
    public var startFrom: String?
    public var cursor: String?
    public var offsetCursor: String?
    public var rowsHarvested: Int64
    public var state: String
    public var lastError: String?
    public var lastSyncedAt: String?
    public var nextSyncAt: String?
    public var createdAt: String
    public var updatedAt: String
    /// Whether the last sync reached the present (see migration 0003).
    public var caughtUp: Bool
    /// Seconds of the last storage-time window.
    public var windowLength: Int64?
    /// Not-exported mode: the stored but unconfirmed `gettop` batch.
    public var exportBatch: String?
    public var pagesFetched: Int64

    enum CodingKeys: String, CodingKey {
        case name, enabled, mode, destructive, cursor, state
        case taskID = "task_id"
        case groupID = "group_id"
        case syncEvery = "sync_every"
        case tableName = "table_name"
        case startFrom = "start_from"
        case offsetCursor = "offset_cursor"
        case rowsHarvested = "rows_harvested"
        case lastError = "last_error"
        case lastSyncedAt = "last_synced_at"
        case nextSyncAt = "next_sync_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case caughtUp = "caught_up"
        case windowLength = "window_length"
        case exportBatch = "export_batch"
        case pagesFetched = "pages_fetched"
    }
}
