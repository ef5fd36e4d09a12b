import Foundation
import GRDB
import HarvestCore

/// A row of `octoparse_windows`: a storage-time window of a task, recorded before it is fetched.
public struct WindowRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "octoparse_windows"

    public var id: Int64
    public var taskID: String
    public var fromTime: String
    public var toTime: String
    /// The `total` the API last reported for the window.
    public var total: Int?
    /// Distinct rows stored from the window.
    public var rowsStored: Int
    /// `planned` or `complete`.
    public var state: String
    public var createdAt: String
    public var completedAt: String?
    public var checkedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, total, state
        case taskID = "task_id"
        case fromTime = "from_time"
        case toTime = "to_time"
        case rowsStored = "rows_stored"
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case checkedAt = "checked_at"
    }

    /// The window's boundaries in seconds.
    public var window: StorageWindow {
        StorageWindow(from: Self.seconds(fromTime), to: Self.seconds(toTime))
    }

    static func seconds(_ text: String) -> Int64 {
        Int64(UTCTime.parse(text)!.timeIntervalSince1970.rounded(.down))
    }

    static func text(_ seconds: Int64) -> String {
        UTCTime.format(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
