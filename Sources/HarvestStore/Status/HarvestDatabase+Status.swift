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
        try writer.read { db in
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
}
