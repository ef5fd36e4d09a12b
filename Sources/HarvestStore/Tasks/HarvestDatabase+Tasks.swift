import Foundation
import GRDB
import HarvestCore

extension HarvestDatabase {
    /// Registers an Octoparse task for harvesting and reserves the name of its data table. A task stored
    /// disabled by `harvest tasks discover` is enabled with these settings.
    ///
    /// - Throws: ``StoreError/taskExists(_:)`` when the task is already registered and enabled.
    @discardableResult
    public func addTask(_ registration: TaskRegistration, now: Date) throws -> TaskRecord {
        let timestamp = UTCTime.format(now)
        let id = registration.id.rawValue
        return try writer.write { db in
            if let existing = try TaskRecord.fetchOne(db, key: id) {
                guard !existing.enabled else { throw StoreError.taskExists(id) }
                try db.execute(
                    sql: """
                        UPDATE octoparse_tasks SET enabled = 1, mode = ?, destructive = ?, sync_every = ?,
                            start_from = ?, cursor = coalesce(cursor, ?), name = CASE WHEN ? = '' THEN name ELSE ? END,
                            next_sync_at = ?, updated_at = ?
                        WHERE task_id = ?
                        """,
                    arguments: [
                        registration.mode.rawValue, registration.destructive, registration.syncEvery,
                        registration.startFrom.map(UTCTime.format), registration.startFrom.map(UTCTime.format),
                        registration.name, registration.name, timestamp, timestamp, id,
                    ]
                )
                try Self.recordEvent(
                    db,
                    subject: "task:\(id)",
                    from: nil,
                    to: "active",
                    detail: "enabled",
                    at: timestamp
                )
                return try TaskRecord.fetchOne(db, key: id)!
            }
            try Self.insertTask(db, registration, groupID: nil, enabled: true, at: timestamp)
            return try TaskRecord.fetchOne(db, key: id)!
        }
    }

    static func insertTask(
        _ db: Database,
        _ registration: TaskRegistration,
        groupID: Int64?,
        enabled: Bool,
        at timestamp: String
    ) throws {
        let id = registration.id.rawValue
        let tableName = TableName.forTask(name: registration.name, id: registration.id) { candidate in
            // try? is safe: the closure cannot throw past TableName, and a failed lookup means "taken".
            (try? Self.isTableNameTaken(db, candidate)) ?? true
        }
        let start = registration.startFrom.map(UTCTime.format)
        try db.execute(
            sql: """
                INSERT INTO octoparse_tasks (task_id, name, group_id, enabled, mode, destructive, sync_every, table_name,
                    start_from, cursor, next_sync_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, registration.name, groupID, enabled, registration.mode.rawValue, registration.destructive,
                registration.syncEvery, tableName, start, start, timestamp, timestamp, timestamp,
            ]
        )
        try Self.recordEvent(
            db,
            subject: "task:\(id)",
            from: nil,
            to: "active",
            detail: enabled ? "added" : "discovered",
            at: timestamp
        )
    }

    /// Every registered task, by name then id.
    public func tasks() throws -> [TaskRecord] {
        try writer.read { db in
            try TaskRecord.order(Column("name"), Column("task_id")).fetchAll(db)
        }
    }

    /// One task.
    public func task(id: TaskID) throws -> TaskRecord {
        try writer.read { db in
            guard let task = try TaskRecord.fetchOne(db, key: id.rawValue) else {
                throw StoreError.taskNotFound(id.rawValue)
            }
            return task
        }
    }

    private static func isTableNameTaken(_ db: Database, _ name: String) throws -> Bool {
        let recorded = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM octoparse_tasks WHERE table_name = ? COLLATE NOCASE)",
            arguments: [name]
        )!
        let existing = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ? COLLATE NOCASE)",
            arguments: [name]
        )!
        return recorded || existing
    }
}
