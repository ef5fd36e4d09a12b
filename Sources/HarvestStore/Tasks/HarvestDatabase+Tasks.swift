import Foundation
import GRDB
import HarvestCore

extension HarvestDatabase {
    /// Registers an Octoparse task for harvesting and reserves the name of its data table.
    ///
    /// - Throws: ``StoreError/taskExists(_:)`` when the task is already registered.
    @discardableResult
    public func addTask(_ registration: TaskRegistration, now: Date) throws -> TaskRecord {
        let timestamp = UTCTime.format(now)
        let id = registration.id.rawValue
        return try writer.write { db in
            if try TaskRecord.fetchOne(db, key: id) != nil { throw StoreError.taskExists(id) }
            let tableName = TableName.forTask(name: registration.name, id: registration.id) { candidate in
                // try? is safe: the closure cannot throw past TableName, and a failed lookup means "taken".
                (try? Self.isTableNameTaken(db, candidate)) ?? true
            }
            try db.execute(
                sql: """
                    INSERT INTO octoparse_tasks (task_id, name, mode, destructive, sync_every, table_name,
                        start_from, next_sync_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, registration.name, registration.mode.rawValue, registration.destructive,
                    registration.syncEvery, tableName, registration.startFrom.map(UTCTime.format), timestamp,
                    timestamp, timestamp,
                ]
            )
            try Self.recordEvent(db, subject: "task:\(id)", from: nil, to: "active", detail: "added", at: timestamp)
            return try TaskRecord.fetchOne(db, key: id)!
        }
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
