import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

/// A submission Oxylabs accepted but whose answer was lost is queued again and counted as a re-submission,
/// like one a crash in the submit gap leaves behind.
@Suite struct ResubmissionStoreTests {
    private let owner = "process-a"

    @Test func aLostAnswerQueuesTheJobAgainCountedAsAReSubmission() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let job = try database.claimedOneJob(owner: owner)
        let retryAt = referenceNow.addingTimeInterval(1)
        let recorded = try database.recordSubmission(
            [job.id: .resend(at: retryAt, reason: "cut short")],
            now: referenceNow,
            owner: owner
        )
        #expect(recorded == [job.id])
        let row = try #require(
            try database.writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT status, resubmissions, errors, lease_owner, next_action_at FROM oxylabs_jobs"
                )
            }
        )
        #expect(row["status"] as String == "queued")
        #expect(row["resubmissions"] as Int == 1)
        #expect(row["errors"] as Int == 1)
        #expect(row["lease_owner"] as String? == nil)
        #expect(row["next_action_at"] as String == UTCTime.format(retryAt))
        let details = try database.writer.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT detail FROM harvest_events WHERE to_state = 'queued' AND detail IS NOT NULL"
            )
        }
        #expect(details.contains(HarvestDatabase.resubmittedAfterLostAnswer))
        // Sent again later, it is a plain claim: not counted a second time.
        let again = try database.claimJobsForSubmission(limit: 1, now: retryAt, owner: owner, lease: .seconds(60))
        #expect(again.map(\.id) == [job.id])
        #expect(again.first?.isResubmission == false)
    }
}
