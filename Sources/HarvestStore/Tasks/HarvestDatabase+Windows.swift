import Foundation
import GRDB
import HarvestCore

/// Storing Octoparse rows: each page commits with the bookkeeping that covers it (the window, the cursor,
/// the offset), so a crash at any instant resumes from the database alone.
extension HarvestDatabase {
    /// The window of `taskID` recorded but not completed (a sync interrupted mid-window), if any.
    public func openWindow(taskID: TaskID) throws -> WindowRecord? {
        try writer.read { db in
            try WindowRecord.filter(Column("task_id") == taskID.rawValue && Column("state") == "planned")
                .order(Column("from_time")).fetchOne(db)
        }
    }

    /// Records the next window of `taskID` with its exact boundaries, before anything of it is fetched.
    public func recordWindow(taskID: TaskID, window: StorageWindow, now: Date) throws -> WindowRecord {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO octoparse_windows (task_id, from_time, to_time, created_at) VALUES (?, ?, ?, ?)
                    """,
                arguments: [
                    taskID.rawValue, WindowRecord.text(window.from), WindowRecord.text(window.to), UTCTime.format(now),
                ]
            )
            return try WindowRecord.fetchOne(db, key: db.lastInsertedRowID)!
        }
    }

    /// Moves the end of a recorded window that holds no row yet (it reported too many rows to take at once).
    public func resizeWindow(id: Int64, to end: Int64) throws -> WindowRecord {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE octoparse_windows SET to_time = ? WHERE id = ? AND rows_stored = 0 AND state = 'planned'",
                arguments: [WindowRecord.text(end), id]
            )
            return try WindowRecord.fetchOne(db, key: id)!
        }
    }

    /// Stores one page of a window's rows (skipping rows already stored) and, on the window's last page,
    /// marks it complete and moves the task's cursor to its end — all in one transaction. Returns the
    /// number of new rows.
    ///
    /// `keys` counts identical rows across the pages of one pass over the window; after an error it no
    /// longer describes the pass, which must start over.
    public func storeWindowPage(
        taskID: TaskID,
        windowID: Int64,
        page: OctoparsePage,
        keys: inout WindowRowKeys,
        completes: Bool,
        caughtUp: Bool,
        now: Date
    ) throws -> Int {
        let timestamp = UTCTime.format(now)
        return try writeRows(taskID: taskID, page: page, window: windowID, keys: &keys, now: timestamp) {
            db,
            inserted in
            try db.execute(
                sql: "UPDATE octoparse_windows SET rows_stored = rows_stored + ?, total = ? WHERE id = ?",
                arguments: [inserted, page.total, windowID]
            )
            guard completes, let window = try WindowRecord.fetchOne(db, key: windowID) else { return }
            try db.execute(
                sql: """
                    UPDATE octoparse_windows SET state = 'complete', completed_at = coalesce(completed_at, ?),
                        checked_at = ?
                    WHERE id = ?
                    """,
                arguments: [timestamp, timestamp, windowID]
            )
            // The cursor only moves forward, and only over a window that starts at it.
            try db.execute(
                sql: """
                    UPDATE octoparse_tasks SET cursor = ?, window_length = ?, caught_up = ?, updated_at = ?
                    WHERE task_id = ? AND (cursor IS NULL OR cursor <= ?)
                    """,
                arguments: [
                    window.toTime, window.window.length, caughtUp, timestamp, taskID.rawValue, window.fromTime,
                ]
            )
        }
    }

    /// Records what a re-check of a complete window found (its `total` now).
    public func markWindowChecked(id: Int64, total: Int, now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE octoparse_windows SET checked_at = ?, total = ? WHERE id = ?",
                arguments: [UTCTime.format(now), total, id]
            )
        }
    }

    /// Rows of `taskID` stored in windows other than `window`.
    public func rowsStoredOutside(window: Int64, taskID: TaskID) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT coalesce(sum(rows_stored), 0) FROM octoparse_windows WHERE task_id = ? AND id != ?",
                arguments: [taskID.rawValue, window]
            ) ?? 0
        }
    }

    /// Complete windows of `taskID` that end after `since`: the ones re-checked for late commits.
    public func recentWindows(taskID: TaskID, endingAfter since: Date) throws -> [WindowRecord] {
        try writer.read { db in
            try WindowRecord.filter(
                Column("task_id") == taskID.rawValue && Column("state") == "complete"
                    && Column("to_time") > UTCTime.format(since)
            ).order(Column("from_time")).fetchAll(db)
        }
    }

    /// Stores rows read without a window (offset, not-exported and last-run modes) and the task's new
    /// `offset` / pending export batch, in one transaction. `window` is 0 for last-run passes (whose keys
    /// make re-reading the same run harmless) and nil otherwise (every row is new).
    public func storeRows(
        taskID: TaskID,
        page: OctoparsePage,
        window: Int64?,
        keys: inout WindowRowKeys,
        offset: String? = nil,
        exportBatch: String? = nil,
        caughtUp: Bool,
        now: Date
    ) throws -> Int {
        let timestamp = UTCTime.format(now)
        return try writeRows(taskID: taskID, page: page, window: window, keys: &keys, now: timestamp) { db, _ in
            try db.execute(
                sql: """
                    UPDATE octoparse_tasks SET offset_cursor = coalesce(?, offset_cursor),
                        export_batch = coalesce(?, export_batch), caught_up = ?
                    WHERE task_id = ?
                    """,
                arguments: [offset, exportBatch, caughtUp, taskID.rawValue]
            )
        }
    }

    /// Stores the rows of `page`, then runs `then` (given the number of new rows) in the same transaction;
    /// returns the number of new rows. The keys are moved out and back, never copied (a window's keys
    /// are large); after an error they are empty, and the pass starts over.
    private func writeRows(
        taskID: TaskID,
        page: OctoparsePage,
        window: Int64?,
        keys: inout WindowRowKeys,
        now timestamp: String,
        then: (Database, Int) throws -> Void
    ) throws -> Int {
        var working = WindowRowKeys()
        swap(&working, &keys)
        let inserted = try writer.write { db in
            let inserted = try Self.storeRows(
                db,
                taskID: taskID,
                page: page,
                window: window,
                keys: &working,
                now: timestamp
            )
            try then(db, inserted)
            Crashpoint.midTransaction.hit()
            return inserted
        }
        keys = working
        return inserted
    }

    /// Forgets the pending export batch once `update` confirmed it upstream.
    public func confirmExportBatch(taskID: TaskID) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE octoparse_tasks SET export_batch = NULL WHERE task_id = ?",
                arguments: [taskID.rawValue]
            )
        }
    }

    static func storeRows(
        _ db: Database,
        taskID: TaskID,
        page: OctoparsePage,
        window: Int64?,
        keys: inout WindowRowKeys,
        now: String
    ) throws -> Int {
        guard
            let name = try String.fetchOne(
                db,
                sql: "SELECT table_name FROM octoparse_tasks WHERE task_id = ?",
                arguments: [taskID.rawValue]
            )
        else { throw StoreError.taskNotFound(taskID.rawValue) }
        var table = try DataTable.open(db, taskID: taskID.rawValue, name: name)
        try table.addColumns(db, taskID: taskID.rawValue, fields: page.fields, now: now)
        // Windows (ids from 1) are checked against their stored keys; last-run (pseudo-window 0) against a
        // unique index; rows read without a window are all new.
        let windowed = (window ?? 0) > 0
        if windowed {
            try loadStoredKeys(db, window: window!, into: &keys)
        } else if window != nil {
            try table.requireUniqueKeys(db)
        }
        let (inserted, newKeys) = try table.insert(
            db,
            page: page,
            window: window,
            keys: &keys,
            skippingStored: windowed,
            ingestedAt: now
        )
        if !newKeys.isEmpty {
            try db.execute(
                sql: "INSERT INTO octoparse_window_keys (window_id, keys) VALUES (?, ?)",
                arguments: [window, Data(newKeys)]
            )
            keys.addedBatch()
        }
        try db.execute(
            sql: """
                UPDATE octoparse_tasks SET rows_harvested = rows_harvested + ?, pages_fetched = pages_fetched + 1,
                    updated_at = ?
                WHERE task_id = ?
                """,
            arguments: [inserted, now, taskID.rawValue]
        )
        return inserted
    }

    /// Loads the keys stored in `window` into `keys`, unless `keys` already reflects every batch of them
    /// (the usual case: this pass wrote them).
    private static func loadStoredKeys(_ db: Database, window: Int64, into keys: inout WindowRowKeys) throws {
        let batches =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM octoparse_window_keys WHERE window_id = ?"),
                arguments: [window]
            ) ?? 0
        guard batches != keys.storedBatches else { return }
        var stored = Set<RowKey>()
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT keys FROM octoparse_window_keys WHERE window_id = ?",
            arguments: [window]
        )
        while let row = try rows.next() {
            let blob: Data = row[0]
            blob.withUnsafeBytes { bytes in
                for start in stride(from: 0, to: bytes.count - 19, by: 20) {
                    stored.insert(RowKey(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 20)])))
                }
            }
        }
        keys.adoptStored(stored, batches: batches)
    }
}
