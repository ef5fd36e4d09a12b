import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

private func request(_ url: String) throws -> JobRequest {
    try JobRequest.fromFlags(source: "universal", url: url, query: nil, parameters: [], resultTypes: nil)
}

/// `harvest status`'s query: what an operator needs to tell whether Harvest is healthy, and no secret.
@Suite struct HealthReportTests {
    private let owner = "test-owner"

    /// Five jobs: 1 fails for good, 2 is queued again after a transient error, 3 and 4 stay queued, 5 is
    /// cancelled.
    private func jobs(_ database: HarvestDatabase) throws {
        for (index, offset) in [0.0, 10, 20, 30, 40].enumerated() {
            try database.enqueueJobs(now: referenceNow.addingTimeInterval(offset)) { enqueue in
                _ = try enqueue(try request("https://a.com/\(index)"), nil)
            }
        }
        let claimed = try database.claimJobsForSubmission(
            limit: 2,
            now: referenceNow.addingTimeInterval(50),
            owner: owner,
            lease: .seconds(60)
        )
        #expect(claimed.map(\.id) == [1, 2])
        try database.recordSubmission(
            [1: .failed("Oxylabs refused the job (400): bad url")],
            now: referenceNow.addingTimeInterval(60),
            owner: owner
        )
        try database.recordSubmission(
            [2: .retry(at: referenceNow.addingTimeInterval(120), reason: "Oxylabs call failed: HTTP 502")],
            now: referenceNow.addingTimeInterval(70),
            owner: owner
        )
        _ = try database.cancelJob(id: 5, now: referenceNow.addingTimeInterval(80))
    }

    @Test func jobsOldestOpenJobAndTheLatestErrorsMostRecentFirst() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        try jobs(database)
        let now = referenceNow.addingTimeInterval(3600)
        let report = try database.healthReport(now: now)
        #expect(report.generatedAt == now)
        #expect(report.jobs[.failed] == 1)
        #expect(report.jobs[.queued] == 3)
        #expect(report.jobs[.cancelled] == 1)
        #expect(report.jobs[.done] == 0)
        // Job 1 is the oldest but final; job 2 is the oldest open one.
        #expect(report.oldestOpenJob?.id == 2)
        #expect(report.oldestOpenJob?.status == .queued)
        #expect(report.oldestOpenJob?.age == 3590)
        #expect(report.recentJobErrors.map(\.id) == [2, 1])
        #expect(report.recentJobErrors.map(\.status) == [.queued, .failed])
        #expect(report.recentJobErrors.last?.error == "Oxylabs refused the job (400): bad url")
        #expect(report.recentJobErrors.first?.at == referenceNow.addingTimeInterval(70))
        #expect(try database.healthReport(now: now, jobErrors: 1).recentJobErrors.map(\.id) == [2])
        #expect(try database.healthReport(now: now, jobErrors: 0).recentJobErrors.isEmpty)
    }

    @Test func tasksShowTheirLagStateAndLastErrorTheWorstFirst() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let behind = try TaskID(parsing: "11111111-4e5f-6789-abcd-ef0123456789")
        let failed = try TaskID(parsing: "22222222-4e5f-6789-abcd-ef0123456789")
        let fresh = try TaskID(parsing: "33333333-4e5f-6789-abcd-ef0123456789")
        let disabled = try TaskID(parsing: "44444444-4e5f-6789-abcd-ef0123456789")
        let queue = try TaskID(parsing: "55555555-4e5f-6789-abcd-ef0123456789")
        for (id, name) in [(behind, "Behind"), (failed, "Failed"), (fresh, "Fresh"), (disabled, "Off")] {
            _ = try database.addTask(try TaskRegistration(id: id, name: name), now: referenceNow)
        }
        _ = try database.addTask(try TaskRegistration(id: queue, name: "Queue", mode: .offset), now: referenceNow)
        try database.writer.write { db in
            try db.execute(
                sql: "UPDATE octoparse_tasks SET cursor = ? WHERE task_id = ?",
                arguments: [UTCTime.format(referenceNow.addingTimeInterval(-7200)), behind.rawValue]
            )
            try db.execute(
                sql: "UPDATE octoparse_tasks SET cursor = ? WHERE task_id IN (?, ?)",
                arguments: [UTCTime.format(referenceNow.addingTimeInterval(-60)), fresh.rawValue, queue.rawValue]
            )
            try db.execute(
                sql: "UPDATE octoparse_tasks SET enabled = 0 WHERE task_id = ?",
                arguments: [disabled.rawValue]
            )
        }
        try database.failTask(
            taskID: failed,
            owner: owner,
            message: "Octoparse does not know the task (taskid_error): gone",
            now: referenceNow
        )
        let report = try database.healthReport(now: referenceNow)
        #expect(report.tasksEnabled == 4)
        #expect(report.tasksDisabled == 1)
        #expect(report.tasksFailed == 1)
        // The disabled task without an error is left out; the failed one comes first, then the most behind.
        #expect(report.tasks.map(\.name) == ["Failed", "Behind", "Fresh", "Queue"])
        #expect(report.tasks[0].state == "failed")
        #expect(report.tasks[0].lastError == "Octoparse does not know the task (taskid_error): gone")
        #expect(report.tasks[0].lag == nil)
        #expect(report.tasks[1].lag == 7200)
        #expect(report.tasks[1].cursor == referenceNow.addingTimeInterval(-7200))
        #expect(report.tasks[2].lag == 60)
        // Lag is about storage time: only by-time tasks have one.
        #expect(report.tasks[3].lag == nil)
    }

    @Test func accountsShowTheirStateAndTokenExpiryButNoToken() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        try database.setAccountState(
            provider: "octoparse",
            baseURL: "https://dataapi.octoparse.com",
            username: "alice",
            state: "ok",
            error: nil,
            now: referenceNow
        )
        try database.setAccountState(
            provider: "oxylabs",
            baseURL: "https://data.oxylabs.io",
            username: "bob",
            state: "needs-credentials",
            error: "Oxylabs refused the credentials (401): Unauthorized",
            now: referenceNow
        )
        try database.saveToken(
            baseURL: "https://dataapi.octoparse.com",
            username: "alice",
            accessToken: "ACCESS-TOKEN-VALUE",
            refreshToken: "REFRESH-TOKEN-VALUE",
            expiresAt: referenceNow.addingTimeInterval(86_399),
            obtainedAt: referenceNow
        )
        // A token whose account row was never written still shows, as `unknown`.
        try database.saveToken(
            baseURL: "https://dataapi.bazhuayu.com",
            username: "carol",
            accessToken: "OTHER-ACCESS",
            refreshToken: nil,
            expiresAt: referenceNow.addingTimeInterval(-10),
            obtainedAt: referenceNow.addingTimeInterval(-86_409)
        )
        let report = try database.healthReport(now: referenceNow.addingTimeInterval(3600))
        #expect(report.accounts.map(\.username) == ["alice", "carol", "bob"])
        let alice = report.accounts[0]
        #expect(alice.provider == "octoparse")
        #expect(alice.state == "ok")
        #expect(alice.tokenExpiresAt == referenceNow.addingTimeInterval(86_399))
        let expiresIn = try #require(alice.tokenExpiresIn)
        #expect(abs(expiresIn - 82_799) < 0.001, "\(expiresIn)")
        #expect(alice.updatedAt == referenceNow)
        #expect(report.accounts[1].state == "unknown")
        #expect(abs((report.accounts[1].tokenExpiresIn ?? 0) + 3610) < 0.001)
        let bob = report.accounts[2]
        #expect(bob.state == "needs-credentials")
        #expect(bob.lastError == "Oxylabs refused the credentials (401): Unauthorized")
        #expect(bob.tokenExpiresAt == nil)
        let shown = "\(report)"
        for secret in ["ACCESS-TOKEN-VALUE", "REFRESH-TOKEN-VALUE", "OTHER-ACCESS"] { #expect(!shown.contains(secret)) }
    }
}
