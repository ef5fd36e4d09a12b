import Foundation
import GRDB
import HarvestCore
import HarvestStore

/// Reads a Harvest database file into a ``DatabaseObservation``, and answers the run's questions while the
/// services write to it (read-only, through SQLite's WAL: it never blocks them).
public struct DatabaseObserver: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    private func open() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Jobs left `submitting` under a lease of process `pid`: sent, or about to be, with no answer recorded.
    public func jobsSubmitting(leasedToProcess pid: Int32) throws -> Int {
        try open().read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM oxylabs_jobs WHERE status = 'submitting' AND lease_owner LIKE ?",
                arguments: ["%:\(pid):%"]
            ) ?? 0
        }
    }

    /// Jobs in each status.
    public func jobCounts() throws -> [String: Int] {
        try open().read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM oxylabs_jobs GROUP BY status") {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }

    /// Everything the checks need, from one read transaction.
    public func observe() throws -> DatabaseObservation {
        try open().read { db in
            var observation = DatabaseObservation()
            observation.jobs = try jobs(db)
            observation.results = try results(db)
            let (tasks, windows) = try tasksAndWindows(db)
            observation.tasks = tasks
            observation.windows = windows
            observation.leases = try Row.fetchAll(db, sql: "SELECT resource, owner, expires_at FROM harvest_leases")
                .map { ObservedLease(resource: $0["resource"], owner: $0["owner"], expiresAt: $0["expires_at"]) }
            return observation
        }
    }

    private func jobs(_ db: Database) throws -> [ObservedJob] {
        var finals: [Int64: Int] = [:]
        var remoteIDs: [Int64: [String]] = [:]
        var lostAnswers: [Int64: Int] = [:]
        let events = try Row.fetchCursor(
            db,
            sql: """
                SELECT CAST(substr(subject, 5) AS INTEGER) AS job, to_state, detail FROM harvest_events
                WHERE subject LIKE 'job:%' ORDER BY id
                """
        )
        while let event = try events.next() {
            let job: Int64 = event["job"]
            let state: String? = event["to_state"]
            if let state, ["done", "faulted", "failed", "cancelled"].contains(state) { finals[job, default: 0] += 1 }
            guard let detail: String = event["detail"] else { continue }
            if state == "pending", detail.hasPrefix("remote id ") {
                remoteIDs[job, default: []].append(String(detail.dropFirst("remote id ".count)))
            }
            if detail == HarvestDatabase.resubmittedAfterLostAnswer { lostAnswers[job, default: 0] += 1 }
        }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT id, status, remote_id, result_types, resubmissions, faults, lease_owner, last_error
                FROM oxylabs_jobs ORDER BY id
                """
        ).map { row in
            let id: Int64 = row["id"]
            let types: String = row["result_types"]
            return ObservedJob(
                id: id,
                status: row["status"],
                remoteID: row["remote_id"],
                resultTypes: types.split(separator: ",").map(String.init),
                resubmissions: row["resubmissions"],
                lostAnswerResubmissions: lostAnswers[id, default: 0],
                faults: row["faults"],
                leaseOwner: row["lease_owner"],
                lastError: row["last_error"],
                finalTransitions: finals[id, default: 0],
                remoteIDs: remoteIDs[id, default: []]
            )
        }
    }

    private func results(_ db: Database) throws -> [ObservedResult] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.job_id, r.type, r.page, r.bytes, length(CAST(r.content AS BLOB)) AS content_bytes,
                    CASE r.type
                        WHEN 'png' THEN substr(CAST(r.content AS BLOB), 1, 4) = x'89504E47'
                        ELSE j.remote_id IS NOT NULL AND instr(r.content, j.remote_id) > 0
                    END AS belongs
                FROM oxylabs_results r JOIN oxylabs_jobs j ON j.id = r.job_id
                ORDER BY r.job_id, r.type, r.page
                """
        ).map { row in
            ObservedResult(
                jobID: row["job_id"],
                type: row["type"],
                page: row["page"],
                bytes: row["bytes"],
                contentBytes: row["content_bytes"] ?? 0,
                belongsToJob: row["belongs"] ?? false
            )
        }
    }

    private func tasksAndWindows(_ db: Database) throws -> ([ObservedTask], [ObservedWindow]) {
        var tasks: [ObservedTask] = []
        var windows: [ObservedWindow] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT task_id, mode, state, last_error, cursor, export_batch, rows_harvested, table_name
                FROM octoparse_tasks WHERE enabled = 1 ORDER BY task_id
                """
        )
        for row in rows {
            let id: String = row["task_id"]
            let table: String? = row["table_name"]
            var task = ObservedTask(
                id: id,
                mode: row["mode"],
                state: row["state"],
                lastError: row["last_error"],
                cursor: row["cursor"],
                exportBatch: row["export_batch"],
                rowsHarvested: row["rows_harvested"]
            )
            var perWindow: [Int64: Int] = [:]
            if let table, try db.tableExists(table) {
                task.rows = try multiset(db, task: id, table: table)
                let quoted = SQLIdentifier.quoted(table)
                for count in try Row.fetchAll(
                    db,
                    sql: "SELECT _storage_window AS window, count(*) AS n FROM \(quoted) GROUP BY 1"
                ) {
                    if let window: Int64 = count["window"] { perWindow[window] = count["n"] }
                }
                if task.mode == "by-time" {
                    task.rowsOutsideWindows =
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT count(*) FROM \(quoted) WHERE _storage_window IS NULL OR _storage_window NOT IN
                                    (SELECT id FROM octoparse_windows WHERE task_id = ?)
                                """,
                            arguments: [id]
                        ) ?? 0
                }
            }
            tasks.append(task)
            windows += try Row.fetchAll(
                db,
                sql: """
                    SELECT id, from_time, to_time, state, rows_stored FROM octoparse_windows
                    WHERE task_id = ? ORDER BY from_time
                    """,
                arguments: [id]
            ).map { window in
                let windowID: Int64 = window["id"]
                return ObservedWindow(
                    id: windowID,
                    taskID: id,
                    from: window["from_time"],
                    to: window["to_time"],
                    state: window["state"],
                    rowsStored: window["rows_stored"],
                    rowsInTable: perWindow[windowID, default: 0]
                )
            }
        }
        return (tasks, windows)
    }

    /// The task's table as a multiset of rows, fields under their Octoparse names.
    private func multiset(_ db: Database, task: String, table: String) throws -> [String: Int] {
        let columns = try Row.fetchAll(
            db,
            sql: "SELECT field_name, column_name FROM octoparse_columns WHERE task_id = ?",
            arguments: [task]
        ).map { (field: $0["field_name"] as String, column: $0["column_name"] as String) }
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(SQLIdentifier.quoted(table))")
        while let row = try rows.next() {
            var fields: [String: String] = [:]
            for (field, column) in columns { fields[field] = row[column] }
            counts[RowMultiset.canonical(fields), default: 0] += 1
        }
        return counts
    }
}
