import Foundation
import GRDB
import HarvestCore

/// A task as `harvest tasks discover` found it upstream.
public struct DiscoveredTask: Sendable, Equatable {
    public var id: TaskID
    public var name: String
    public var groupID: Int64

    public init(id: TaskID, name: String, groupID: Int64) {
        self.id = id
        self.name = name
        self.groupID = groupID
    }
}

extension HarvestDatabase {
    /// What a discovery changed.
    public struct DiscoverySummary: Sendable, Equatable {
        public var groups: Int
        public var tasks: Int
        /// Tasks seen for the first time.
        public var new: Int
        /// Tasks registered for harvesting by this discovery (`--enable`).
        public var enabled: Int
    }

    /// Stores the account's task groups and tasks in one transaction. New tasks are stored disabled (and
    /// their table name reserved) unless `enable` is true; `enable` also registers known disabled tasks.
    /// Names are refreshed; nothing else about a registered task changes.
    public func storeDiscovery(
        groups: [(id: Int64, name: String)],
        tasks: [DiscoveredTask],
        enable: Bool,
        now: Date
    ) throws -> DiscoverySummary {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            for group in groups {
                try db.execute(
                    sql: """
                        INSERT INTO octoparse_task_groups (group_id, name, discovered_at, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (group_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
                        """,
                    arguments: [group.id, group.name, timestamp, timestamp]
                )
            }
            var summary = DiscoverySummary(groups: groups.count, tasks: tasks.count, new: 0, enabled: 0)
            for task in tasks {
                if let existing = try TaskRecord.fetchOne(db, key: task.id.rawValue) {
                    try db.execute(
                        sql:
                            "UPDATE octoparse_tasks SET name = ?, group_id = ?, enabled = ?, updated_at = ? WHERE task_id = ?",
                        arguments: [task.name, task.groupID, existing.enabled || enable, timestamp, task.id.rawValue]
                    )
                    if enable, !existing.enabled { summary.enabled += 1 }
                    continue
                }
                let registration = try TaskRegistration(id: task.id, name: task.name)
                try Self.insertTask(db, registration, groupID: task.groupID, enabled: enable, at: timestamp)
                summary.new += 1
                if enable { summary.enabled += 1 }
            }
            return summary
        }
    }
}
