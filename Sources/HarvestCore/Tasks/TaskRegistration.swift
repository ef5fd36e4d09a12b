import Foundation

/// A validated `harvest tasks add`: which Octoparse task to harvest, how and from when.
public struct TaskRegistration: Sendable, Equatable {
    public var id: TaskID
    public var name: String
    public var mode: TaskMode
    /// One-phase `notexportdata` (rows are marked exported as they are returned); only in `not-exported` mode.
    public var destructive: Bool
    /// Seconds between syncs.
    public var syncEvery: Int
    /// Harvest storage times from this instant on; `nil` means from the start of the task.
    public var startFrom: Date?

    /// Default interval between syncs of a task: five minutes.
    public static let defaultSyncEvery = 300

    public init(
        id: TaskID,
        name: String = "",
        mode: TaskMode = .byTime,
        destructive: Bool = false,
        syncEvery: Int = TaskRegistration.defaultSyncEvery,
        startFrom: Date? = nil
    ) throws(InputError) {
        if destructive, mode != .notExported {
            throw InputError("--destructive applies only to --mode not-exported")
        }
        if startFrom != nil, mode != .byTime {
            throw InputError("--from applies only to --mode by-time")
        }
        guard name.utf8.count <= 1024, !name.contains("\0") else {
            throw InputError("bad task name \(name.quotedForMessage): at most 1024 bytes, no NUL")
        }
        self.id = id
        self.name = name
        self.mode = mode
        self.destructive = destructive
        self.syncEvery = syncEvery
        self.startFrom = startFrom
    }
}
