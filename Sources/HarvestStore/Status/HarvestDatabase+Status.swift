import Foundation
import GRDB
import HarvestCore

/// The numbers `harvest status` shows.
public struct StatusSummary: Sendable, Equatable {
    /// Jobs per status; every status is present, zero when none.
    public var jobs: [JobStatus: Int]
    /// Creation time of the oldest job not yet final, if any.
    public var oldestOpenJobCreatedAt: String?
    public var tasksEnabled: Int
    public var tasksDisabled: Int
    public var tasksFailed: Int
    public var rowsHarvested: Int64
}

extension HarvestDatabase {
    /// Counts of jobs by status and of tasks by state, read in one snapshot.
    public func statusSummary() throws -> StatusSummary {
        try writer.read { db in try Self.statusSummary(db) }
    }

    private static func statusSummary(_ db: Database) throws -> StatusSummary {
        var jobs = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0, 0) })
        for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM oxylabs_jobs GROUP BY status") {
            if let status = JobStatus(rawValue: row["status"]) { jobs[status] = row["n"] }
        }
        let oldest = try String.fetchOne(
            db,
            sql: """
                SELECT MIN(created_at) FROM oxylabs_jobs WHERE status IN ('queued', 'submitting', 'pending')
                """
        )
        let tasks = try Row.fetchOne(
            db,
            sql: """
                SELECT COALESCE(SUM(enabled = 1), 0) AS enabled, COALESCE(SUM(enabled = 0), 0) AS disabled,
                    COALESCE(SUM(state = 'failed'), 0) AS failed, COALESCE(SUM(rows_harvested), 0) AS rows
                FROM octoparse_tasks
                """
        )!
        return StatusSummary(
            jobs: jobs,
            oldestOpenJobCreatedAt: oldest,
            tasksEnabled: tasks["enabled"],
            tasksDisabled: tasks["disabled"],
            tasksFailed: tasks["failed"],
            rowsHarvested: tasks["rows"]
        )
    }
}

extension HarvestDatabase {
    /// Everything `harvest status` shows, read in one snapshot; ages and lags measured from `now`.
    /// `jobErrors` bounds the latest job errors listed.
    public func healthReport(now: Date, jobErrors: Int = 5) throws -> HealthReport {
        try writer.read { db in
            let summary = try Self.statusSummary(db)
            let oldest = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, status, created_at FROM oxylabs_jobs
                    WHERE status IN ('queued', 'submitting', 'pending') ORDER BY created_at, id LIMIT 1
                    """
            ).flatMap { row -> HealthReport.OpenJob? in
                guard let status = JobStatus(rawValue: row["status"]), let created = Self.date(row["created_at"])
                else { return nil }
                return HealthReport.OpenJob(
                    id: row["id"],
                    status: status,
                    createdAt: created,
                    age: now.timeIntervalSince(created)
                )
            }
            let tasks = try Row.fetchAll(
                db,
                sql: """
                    SELECT task_id, name, enabled, mode, state, cursor, caught_up, last_synced_at, last_error,
                        rows_harvested
                    FROM octoparse_tasks
                    WHERE enabled = 1 OR state = 'failed' OR last_error IS NOT NULL
                    ORDER BY state = 'failed' DESC, last_error IS NOT NULL DESC, cursor IS NOT NULL, cursor, task_id
                    """
            ).map { row in
                let mode = TaskMode(rawValue: row["mode"]) ?? .byTime
                let cursor = Self.date(row["cursor"])
                return HealthReport.TaskHealth(
                    taskID: row["task_id"],
                    name: row["name"],
                    enabled: row["enabled"],
                    mode: mode,
                    state: row["state"],
                    cursor: cursor,
                    lag: mode == .byTime ? cursor.map { now.timeIntervalSince($0) } : nil,
                    caughtUp: row["caught_up"],
                    lastSyncedAt: Self.date(row["last_synced_at"]),
                    lastError: row["last_error"],
                    rowsHarvested: row["rows_harvested"]
                )
            }
            // Done jobs have no error and cancelled ones are the user's doing: leaving them out lets the
            // status index skip the bulk of a large table.
            let errors = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, remote_id, status, last_error, updated_at FROM oxylabs_jobs
                    WHERE status IN ('queued', 'submitting', 'pending', 'faulted', 'failed')
                        AND last_error IS NOT NULL
                    ORDER BY updated_at DESC, id DESC LIMIT ?
                    """,
                arguments: [max(0, jobErrors)]
            ).compactMap { row -> HealthReport.JobError? in
                guard let status = JobStatus(rawValue: row["status"]), let at = Self.date(row["updated_at"]) else {
                    return nil
                }
                return HealthReport.JobError(
                    id: row["id"],
                    remoteID: row["remote_id"],
                    status: status,
                    error: row["last_error"],
                    at: at
                )
            }
            // Tokens are Octoparse's, keyed like its account; only their expiry is read, never a token.
            let accounts = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.provider, a.base_url, a.username, a.state, a.last_error, a.updated_at, t.expires_at,
                        a.window_to_inclusive, a.by_time_total, a.page_index,
                        a.submission_rate, a.submission_limit, a.submission_rate_refused, a.zone_evidence
                    FROM harvest_accounts a
                    LEFT JOIN harvest_tokens t
                        ON a.provider = 'octoparse' AND t.base_url = a.base_url AND t.username = a.username
                    UNION ALL
                    SELECT 'octoparse', t.base_url, t.username, 'unknown', NULL, NULL, t.expires_at, NULL, NULL, NULL,
                        NULL, NULL, NULL, NULL
                    FROM harvest_tokens t
                    WHERE NOT EXISTS (
                        SELECT 1 FROM harvest_accounts a
                        WHERE a.provider = 'octoparse' AND a.base_url = t.base_url AND a.username = t.username
                    )
                    ORDER BY 1, 3, 2
                    """
            ).map { row in
                let expiresAt = Self.date(row[6])
                return HealthReport.AccountHealth(
                    provider: row[0],
                    baseURL: row[1],
                    username: row[2],
                    state: row[3],
                    lastError: row[4],
                    updatedAt: Self.date(row[5]),
                    tokenExpiresAt: expiresAt,
                    tokenExpiresIn: expiresAt.map { $0.timeIntervalSince(now) },
                    submissionRate: row[10],
                    submissionLimit: row[11],
                    submissionRateRefused: row[12],
                    readings: row[0] == "octoparse"
                        ? OctoparseReadings(
                            toInclusive: row[7],
                            total: (row[8] as String?).flatMap(TotalReading.init(rawValue:)),
                            pageIndex: (row[9] as String?).flatMap(PageIndexReading.init(rawValue:)),
                            zone: row[13]
                        ) : nil
                )
            }
            return HealthReport(
                generatedAt: now,
                jobs: summary.jobs,
                oldestOpenJob: oldest,
                tasksEnabled: summary.tasksEnabled,
                tasksDisabled: summary.tasksDisabled,
                tasksFailed: summary.tasksFailed,
                rowsHarvested: summary.rowsHarvested,
                tasks: tasks,
                recentJobErrors: errors,
                accounts: accounts
            )
        }
    }

    private static func date(_ text: String?) -> Date? {
        text.flatMap(UTCTime.parse)
    }
}
