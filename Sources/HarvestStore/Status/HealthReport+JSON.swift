import Foundation
import HarvestCore

/// `harvest status --json` and `GET /admin/status` answer with the same object.
extension HealthReport {
    /// The report as one object with stable snake_case keys; absent values are `null`, never left out.
    public func json(database path: String) -> JSONValue {
        func time(_ date: Date?) -> JSONValue { date.map { .string(UTCTime.format($0)) } ?? .null }
        func seconds(_ interval: TimeInterval?) -> JSONValue {
            interval.map { .integer(Int64($0.rounded(.down))) } ?? .null
        }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        /// A rate per second, to one decimal.
        func rate(_ value: Double?) -> JSONValue { value.map { .double(($0 * 10).rounded() / 10) } ?? .null }
        let oldest: JSONValue =
            oldestOpenJob.map { job in
                .object([
                    "id": .integer(job.id), "status": .string(job.status.rawValue), "created_at": time(job.createdAt),
                    "age_seconds": seconds(job.age),
                ])
            } ?? .null
        return .object([
            "database": .string(path),
            "generated_at": time(generatedAt),
            "jobs": .object(
                Dictionary(
                    uniqueKeysWithValues: JobStatus.allCases.map {
                        ($0.rawValue, .integer(Int64(jobs[$0] ?? 0)))
                    }
                )
            ),
            "oldest_open_job": oldest,
            "oldest_open_job_created_at": time(oldestOpenJob?.createdAt),
            "tasks": .object([
                "enabled": .integer(Int64(tasksEnabled)), "disabled": .integer(Int64(tasksDisabled)),
                "failed": .integer(Int64(tasksFailed)),
            ]),
            "rows_harvested": .integer(rowsHarvested),
            "task_health": .array(
                tasks.map { task in
                    .object([
                        "task_id": .string(task.taskID), "name": .string(task.name), "enabled": .bool(task.enabled),
                        "mode": .string(task.mode.rawValue), "state": .string(task.state), "cursor": time(task.cursor),
                        "lag_seconds": seconds(task.lag), "caught_up": .bool(task.caughtUp),
                        "last_synced_at": time(task.lastSyncedAt), "last_error": text(task.lastError),
                        "rows_harvested": .integer(task.rowsHarvested),
                    ])
                }
            ),
            "recent_job_errors": .array(
                recentJobErrors.map { error in
                    .object([
                        "id": .integer(error.id), "remote_id": text(error.remoteID),
                        "status": .string(error.status.rawValue), "error": .string(error.error), "at": time(error.at),
                    ])
                }
            ),
            "accounts": .array(
                accounts.map { account in
                    .object([
                        "provider": .string(account.provider), "base_url": .string(account.baseURL),
                        "username": .string(account.username), "state": .string(account.state),
                        "last_error": text(account.lastError), "updated_at": time(account.updatedAt),
                        "token_expires_at": time(account.tokenExpiresAt),
                        "token_expires_in_seconds": seconds(account.tokenExpiresIn),
                        "submission_rate": rate(account.submissionRate),
                        "submission_limit": account.submissionLimit.map { .integer(Int64($0)) } ?? .null,
                        "submission_rate_refused": rate(account.submissionRateRefused),
                        "readings": account.readings.map(\.json) ?? .null,
                    ])
                }
            ),
        ])
    }
}
