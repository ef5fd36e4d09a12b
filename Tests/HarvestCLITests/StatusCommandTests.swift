import Foundation
import GRDB
import HarvestCore
import Testing

/// `harvest status` answers "is it healthy?" from what is in the database, as text and as JSON, and
/// never prints a token.
@Suite struct StatusCommandTests {
    private static let taskID = "6a1b2c3d-4e5f-6789-abcd-ef0123456789"
    private static let accessToken = "ACCESS-e3b0c44298fc1c149afbf4c8996fb924"
    private static let refreshToken = "REFRESH-27ae41e4649b934ca495991b7852b855"

    /// A failed job with an error, a queued one, a task two hours behind, an Octoparse account with a
    /// token that expires in about a day, and an Oxylabs account whose credentials were refused after it
    /// had probed for a submission rate (no limit announced, one 429).
    private func workspace() throws -> Workspace {
        let workspace = try Workspace()
        for index in 1...2 {
            let submitted = try workspace.harvest(
                "jobs",
                "submit",
                "--source",
                "universal",
                "--url",
                "https://a.com/\(index)"
            )
            #expect(submitted.status == 0, "\(submitted.stderr)")
        }
        let added = try workspace.harvest("tasks", "add", Self.taskID, "--name", "Prices EU")
        #expect(added.status == 0, "\(added.stderr)")
        let now = Date()
        try DatabaseQueue(path: workspace.database).write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET status = 'failed', remote_id = '7300000000000000001',
                        last_error = 'Oxylabs refused the job (400): bad geo_location', completed_at = ?, updated_at = ?
                    WHERE id = 1
                    """,
                arguments: [UTCTime.format(now), UTCTime.format(now)]
            )
            try db.execute(
                sql: "UPDATE octoparse_tasks SET cursor = ?, last_error = ? WHERE task_id = ?",
                arguments: [
                    UTCTime.format(now.addingTimeInterval(-7200)), "Octoparse call failed: HTTP 503", Self.taskID,
                ]
            )
            try db.execute(
                sql: """
                    INSERT INTO harvest_accounts (provider, base_url, username, state, last_error, updated_at,
                        submission_rate, submission_limit, submission_rate_refused)
                    VALUES ('octoparse', 'https://dataapi.octoparse.com', 'alice', 'ok', NULL, ?, NULL, NULL, NULL),
                        ('oxylabs', 'https://data.oxylabs.io', 'bob', 'needs-credentials',
                         'Oxylabs refused the credentials (401): Unauthorized', ?, 52.34, NULL, 104.61)
                    """,
                arguments: [UTCTime.format(now), UTCTime.format(now)]
            )
            try db.execute(
                sql: """
                    INSERT INTO harvest_tokens (base_url, username, access_token, refresh_token, expires_at, obtained_at)
                    VALUES ('https://dataapi.octoparse.com', 'alice', ?, ?, ?, ?)
                    """,
                arguments: [
                    Self.accessToken, Self.refreshToken, UTCTime.format(now.addingTimeInterval(86_000)),
                    UTCTime.format(now),
                ]
            )
        }
        return workspace
    }

    @Test func theTextShowsJobsTaskLagErrorsAndTokenExpiryButNoToken() throws {
        let workspace = try workspace()
        let shown = try workspace.harvest("status")
        #expect(shown.status == 0, "\(shown.stderr)")
        let text = shown.stdout
        #expect(text.contains("queued 1 · submitting 0 · pending 0 · done 0 · faulted 0 · failed 1 · cancelled 0"))
        #expect(text.contains("oldest open job 2 (queued)"))
        #expect(text.contains(Self.taskID))
        #expect(text.contains("Prices EU"))
        #expect(text.contains("2h 0m") || text.contains("1h 59m"), "\(text)")
        #expect(text.contains("Octoparse call failed: HTTP 503"))
        #expect(text.contains("job errors, most recent first"))
        #expect(text.contains("Oxylabs refused the job (400): bad geo_location"))
        #expect(text.contains("account   octoparse alice at https://dataapi.octoparse.com: ok · token expires"))
        // What was learned of the server, where the documents leave it open; nothing yet.
        #expect(
            text.contains(
                "server: `to` is not known yet; `total` is not known yet; `pageindex` is not known yet; "
                    + "no sign that OCTOPARSE_TIMEZONE is wrong"
            )
        )
        #expect(text.contains("(in 23h 53m)") || text.contains("(in 23h 52m)"), "\(text)")
        #expect(text.contains("bob at https://data.oxylabs.io: needs-credentials (Oxylabs refused the credentials"))
        #expect(text.contains("· submitting at most 52.3/s (no limit announced: probing; 429 at 104.6/s)"), "\(text)")
        #expect(!text.contains(Self.accessToken))
        #expect(!text.contains(Self.refreshToken))
    }

    @Test func theJSONShowsTheSameWithStableKeysAndNoToken() throws {
        let workspace = try workspace()
        let shown = try workspace.harvest("status", "--json")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(!shown.stdout.contains(Self.accessToken))
        #expect(!shown.stdout.contains(Self.refreshToken))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "database", "generated_at", "jobs", "oldest_open_job", "oldest_open_job_created_at", "tasks",
                "rows_harvested", "task_health", "recent_job_errors", "accounts",
            ]
        )
        let jobs = try #require(object["jobs"] as? [String: Int])
        #expect(jobs["failed"] == 1)
        #expect(jobs["queued"] == 1)
        let oldest = try #require(object["oldest_open_job"] as? [String: Any])
        #expect(oldest["id"] as? Int == 2)
        #expect(oldest["status"] as? String == "queued")
        #expect((oldest["age_seconds"] as? Int).map { $0 >= 0 } == true)
        let tasks = try #require(object["task_health"] as? [[String: Any]])
        #expect(tasks.count == 1)
        #expect(tasks[0]["task_id"] as? String == Self.taskID)
        #expect(tasks[0]["state"] as? String == "active")
        #expect(tasks[0]["last_error"] as? String == "Octoparse call failed: HTTP 503")
        let lag = try #require(tasks[0]["lag_seconds"] as? Int)
        #expect((7200...7300).contains(lag))
        #expect((tasks[0]["cursor"] as? String)?.hasSuffix("Z") == true)
        let errors = try #require(object["recent_job_errors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors[0]["id"] as? Int == 1)
        #expect(errors[0]["remote_id"] as? String == "7300000000000000001")
        #expect(errors[0]["status"] as? String == "failed")
        #expect(errors[0]["error"] as? String == "Oxylabs refused the job (400): bad geo_location")
        let accounts = try #require(object["accounts"] as? [[String: Any]])
        #expect(accounts.map { $0["username"] as? String } == ["alice", "bob"])
        let alice = accounts[0]
        #expect(alice["state"] as? String == "ok")
        #expect(alice["token_expires_at"] is String)
        let expiresIn = try #require(alice["token_expires_in_seconds"] as? Int)
        #expect((85_900...86_000).contains(expiresIn))
        #expect(accounts[1]["state"] as? String == "needs-credentials")
        #expect(accounts[1]["token_expires_at"] is NSNull)
        #expect(accounts[1]["submission_rate"] as? Double == 52.3)
        #expect(accounts[1]["submission_limit"] is NSNull)
        #expect(accounts[1]["submission_rate_refused"] as? Double == 104.6)
        #expect(alice["submission_rate"] is NSNull)
        // Every key of every account, so that a token can never slip in under a new one.
        #expect(
            Set(alice.keys) == [
                "provider", "base_url", "username", "state", "last_error", "updated_at", "token_expires_at",
                "token_expires_in_seconds", "readings", "submission_rate", "submission_limit",
                "submission_rate_refused",
            ]
        )
        // The readings learned of the server, never a token: four known keys, each unknown so far.
        let readings = try #require(alice["readings"] as? [String: Any])
        #expect(Set(readings.keys) == ["to_inclusive", "total", "page_index", "zone"])
        #expect(readings.values.allSatisfy { $0 is NSNull })
    }
}
