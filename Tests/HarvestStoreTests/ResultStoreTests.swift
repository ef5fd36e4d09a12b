import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

/// `storeResults` reports the bytes it stored, which `harvest_result_bytes_total` counts: a store by a
/// process that lost the job's lease stores nothing and reports nothing.
@Suite struct ResultStoreTests {
    private let owner = "process-a"

    /// One queued job taken through submission to pending, leased to `owner` for fetching.
    private func pendingJob(_ database: HarvestDatabase) throws -> Int64 {
        let job = try database.claimedOneJob(owner: owner)
        try database.recordSubmission(
            [job.id: .accepted(RemoteJob(id: "7219463155390347265", status: .pending), firstPollAt: referenceNow)],
            now: referenceNow,
            owner: owner
        )
        #expect(
            try database.markDueByCallback(remoteID: "7219463155390347265", status: .done, now: referenceNow) == job.id
        )
        let claimed = try database.claimJobsDueForFetch(limit: 1, now: referenceNow, owner: owner, lease: .seconds(60))
        #expect(claimed.map(\.id) == [job.id])
        return job.id
    }

    @Test func storingResultsReturnsTheBytesStored() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let id = try pendingJob(database)
        let pages = [
            ResultPage(type: .raw, page: 1, statusCode: 200, url: "https://a.com", content: .text("<html>é</html>")),
            ResultPage(type: .png, page: 1, statusCode: 200, url: "https://a.com", content: .bytes([0x89, 0x50])),
        ]
        let stored = try database.storeResults(id: id, pages: pages, remote: nil, now: referenceNow, owner: owner)
        let sum = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT SUM(bytes) FROM oxylabs_results") }
        #expect(stored == "<html>é</html>".utf8.count + 2)
        #expect(stored == sum)
        // The job is done now: a second store (a late duplicate) stores and reports nothing.
        #expect(try database.storeResults(id: id, pages: pages, remote: nil, now: referenceNow, owner: owner) == 0)
    }

    @Test func anotherOwnerStoresNothing() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        let id = try pendingJob(database)
        let page = ResultPage(type: .raw, page: 1, statusCode: 200, url: nil, content: .text("x"))
        #expect(try database.storeResults(id: id, pages: [page], remote: nil, now: referenceNow, owner: "other") == 0)
        let rows = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM oxylabs_results") }
        #expect(rows == 0)
    }
}
