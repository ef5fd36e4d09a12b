import Foundation
import HarvestCore
import HarvestStore
import Testing

/// Who said a job is done: the status endpoint (its results may be stored on a results answer without
/// `job`) or an unsigned callback (checked first); a callback that does not say done makes a poll due.
@Suite struct RemoteStatusSourceTests {
    private let owner = "process-a"
    private let remoteID = "7219463155390347265"
    private let lease: Duration = .seconds(60)

    /// One job submitted and pending upstream, first poll an hour away.
    private func pendingJob(_ database: HarvestDatabase) throws -> Int64 {
        let job = try database.claimedOneJob(owner: owner)
        try database.recordSubmission(
            [
                job.id: .accepted(
                    RemoteJob(id: remoteID, status: .pending),
                    firstPollAt: referenceNow.addingTimeInterval(3600)
                )
            ],
            now: referenceNow,
            owner: owner
        )
        return job.id
    }

    @Test func aDoneCallbackMakesTheResultsDueButUnconfirmed() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let id = try pendingJob(database)
        #expect(try database.markDueByCallback(remoteID: remoteID, status: .done, now: referenceNow) == id)
        let claimed = try database.claimJobsDueForFetch(limit: 5, now: referenceNow, owner: owner, lease: lease)
        #expect(claimed.map(\.id) == [id])
        #expect(claimed.first?.doneSaidByStatus == false)
    }

    @Test func aPollThatSawDoneConfirmsIt() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let id = try pendingJob(database)
        let later = referenceNow.addingTimeInterval(3600)
        _ = try database.claimJobsDueForPoll(limit: 5, now: later, owner: owner, lease: lease)
        try database.recordRemoteDone(
            id: id,
            remote: RemoteJob(id: remoteID, status: .done),
            countPoll: true,
            now: later,
            owner: owner
        )
        let claimed = try database.claimJobsDueForFetch(limit: 5, now: later, owner: owner, lease: lease)
        #expect(claimed.first?.doneSaidByStatus == true)
    }

    @Test(arguments: [RemoteJobStatus.faulted, .pending, .other("weird")])
    func aCallbackThatDoesNotSayDoneMakesAPollDueNow(status: RemoteJobStatus) throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let id = try pendingJob(database)
        #expect(try database.markDueByCallback(remoteID: remoteID, status: status, now: referenceNow) == id)
        #expect(try database.claimJobsDueForFetch(limit: 5, now: referenceNow, owner: owner, lease: lease).isEmpty)
        let polled = try database.claimJobsDueForPoll(limit: 5, now: referenceNow, owner: owner, lease: lease)
        #expect(polled.map(\.id) == [id])
    }
}
