import Foundation
import GRDB
import HarvestCore

/// The syncer's side of `octoparse_tasks`: which task is due, who works on it, how a sync ended.
extension HarvestDatabase {
    /// The lease resource of a task.
    public static func taskLease(_ id: TaskID) -> String { "task:\(id.rawValue)" }

    /// Claims the enabled, active task that is most overdue and that no other process is syncing; nil when
    /// none is due. `excluding` lists tasks this process is already syncing.
    public func claimDueTask(
        owner: String,
        lease: Duration,
        now: Date,
        excluding: Set<String> = []
    ) throws -> TaskRecord? {
        try writer.write { db in
            let due = try TaskRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM octoparse_tasks
                    WHERE enabled = 1 AND state = 'active' AND (next_sync_at IS NULL OR next_sync_at <= ?)
                    ORDER BY next_sync_at, task_id
                    """,
                arguments: [UTCTime.format(now)]
            )
            for task in due where !excluding.contains(task.taskID) {
                let id = try TaskID(parsing: task.taskID)
                if try Self.acquireLease(db, resource: Self.taskLease(id), owner: owner, for: lease, now: now) {
                    return task
                }
            }
            return nil
        }
    }

    /// When the next task is due (nil: none enabled and active).
    public func nextTaskSyncTime() throws -> Date? {
        try writer.read { db in
            try String.fetchOne(
                db,
                sql:
                    "SELECT min(coalesce(next_sync_at, '')) FROM octoparse_tasks WHERE enabled = 1 AND state = 'active'"
            ).map { UTCTime.parse($0) ?? .distantPast }
        }
    }

    /// Ends a sync: records when, whether it reached the present, the error if any, and when the task is
    /// due again; releases the lease.
    public func finishSync(
        taskID: TaskID,
        owner: String,
        caughtUp: Bool,
        error: String?,
        nextSyncAt: Date,
        now: Date
    ) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE octoparse_tasks SET last_synced_at = ?, caught_up = ?, last_error = ?, next_sync_at = ?,
                        updated_at = ?
                    WHERE task_id = ?
                    """,
                arguments: [timestamp, caughtUp, error, UTCTime.format(nextSyncAt), timestamp, taskID.rawValue]
            )
            try db.execute(
                sql: "DELETE FROM harvest_leases WHERE resource = ? AND owner = ?",
                arguments: [Self.taskLease(taskID), owner]
            )
        }
    }

    /// Stops harvesting a task that cannot be harvested (unknown upstream, for example), with the reason.
    public func failTask(taskID: TaskID, owner: String, message: String, now: Date) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE octoparse_tasks SET state = 'failed', last_error = ?, caught_up = 0, updated_at = ?
                    WHERE task_id = ?
                    """,
                arguments: [message, timestamp, taskID.rawValue]
            )
            try db.execute(
                sql: "DELETE FROM harvest_leases WHERE resource = ? AND owner = ?",
                arguments: [Self.taskLease(taskID), owner]
            )
            try Self.recordEvent(
                db,
                subject: "task:\(taskID)",
                from: "active",
                to: "failed",
                detail: message,
                at: timestamp
            )
        }
    }

    /// Enabled, active tasks whose last sync did not reach the present: what `serve --until-idle` waits for.
    public func tasksBehind() throws -> [TaskRecord] {
        try writer.read { db in
            try TaskRecord.filter(
                Column("enabled") == true && Column("state") == "active" && Column("caught_up") == false
            )
            .order(Column("task_id")).fetchAll(db)
        }
    }

    /// What `harvest tasks reset` removed.
    public struct ResetSummary: Sendable, Equatable {
        public var rowsDeleted: Int
        public var windowsDeleted: Int
        /// Where harvesting starts again.
        public var cursor: Date
    }

    /// Deletes a by-time task's rows and windows from `from` on (a window that straddles `from` goes
    /// whole) and moves its cursor back, so the next sync harvests them again. Refused while a service
    /// is syncing the task.
    public func resetTask(taskID: TaskID, from: Date, owner: String, now: Date) throws -> ResetSummary {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            guard let task = try TaskRecord.fetchOne(db, key: taskID.rawValue) else {
                throw StoreError.taskNotFound(taskID.rawValue)
            }
            guard task.mode == .byTime else {
                throw StoreError.taskStateConflict(
                    id: taskID.rawValue,
                    reason:
                        "it is harvested in \(task.mode.rawValue) mode; only by-time tasks have storage times to reset"
                )
            }
            guard try Self.acquireLease(db, resource: Self.taskLease(taskID), owner: owner, for: .seconds(60), now: now)
            else {
                throw StoreError.taskStateConflict(
                    id: taskID.rawValue,
                    reason: "a running service is syncing it; try again in a moment"
                )
            }
            let start = WindowRecord.text(Int64(from.timeIntervalSince1970.rounded(.down)))
            let windows = try WindowRecord.filter(Column("task_id") == taskID.rawValue && Column("to_time") > start)
                .fetchAll(db)
            var cursor = task.cursor.map { min($0, start) } ?? task.startFrom
            if let earliest = windows.map(\.fromTime).min() { cursor = min(cursor ?? earliest, earliest) }
            var rowsDeleted = 0
            if let table = task.tableName, !windows.isEmpty,
                try db.tableExists(table)
            {
                let ids = windows.map { String($0.id) }.joined(separator: ",")
                try db.execute(sql: "DELETE FROM \(SQLIdentifier.quoted(table)) WHERE _storage_window IN (\(ids))")
                rowsDeleted = db.changesCount
                try db.execute(sql: "DELETE FROM octoparse_windows WHERE id IN (\(ids))")
            }
            try db.execute(
                sql: """
                    UPDATE octoparse_tasks SET cursor = ?, caught_up = 0, next_sync_at = ?, rows_harvested = max(0, rows_harvested - ?),
                        state = 'active', last_error = NULL, updated_at = ?
                    WHERE task_id = ?
                    """,
                arguments: [cursor, timestamp, rowsDeleted, timestamp, taskID.rawValue]
            )
            try db.execute(
                sql: "DELETE FROM harvest_leases WHERE resource = ? AND owner = ?",
                arguments: [Self.taskLease(taskID), owner]
            )
            try Self.recordEvent(
                db,
                subject: "task:\(taskID)",
                from: nil,
                to: "active",
                detail: "reset from \(start): \(rowsDeleted) rows, \(windows.count) windows deleted",
                at: timestamp
            )
            return ResetSummary(
                rowsDeleted: rowsDeleted,
                windowsDeleted: windows.count,
                cursor: cursor.flatMap(UTCTime.parse) ?? from
            )
        }
    }
}
