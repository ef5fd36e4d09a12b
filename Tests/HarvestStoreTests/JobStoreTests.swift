import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

private func request(_ url: String, pages: Int? = nil) throws -> JobRequest {
    try JobRequest.fromFlags(
        source: "universal",
        url: url,
        query: nil,
        parameters: pages.map { [JobParameter(key: "pages", value: .integer(Int64($0)))] } ?? [],
        resultTypes: nil
    )
}

private func count(_ database: HarvestDatabase, _ table: String = "oxylabs_jobs") throws -> Int {
    try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")! }
}

@Suite struct JobStoreTests {
    @Test func enqueuedJobsAreQueuedAndDueNow() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        var ids: [EnqueueOutcome] = []
        try database.enqueueJobs(now: referenceNow) { enqueue in
            ids.append(try enqueue(try request("https://a.com"), nil))
            ids.append(try enqueue(try request("https://b.com"), nil))
        }
        #expect(ids == [.created(1), .created(2)])
        let job = try database.jobDetails(id: 2).job
        #expect(job.status == .queued)
        #expect(job.url == "https://b.com")
        #expect(job.nextActionAt == UTCTime.format(referenceNow))
        #expect(job.resultTypes == "raw")
    }

    @Test func theSameKeyAndRequestReturnTheExistingJob() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        var outcomes: [EnqueueOutcome] = []
        for _ in 0..<3 {
            try database.enqueueJobs(now: referenceNow) { enqueue in
                outcomes.append(try enqueue(try request("https://a.com"), "key-1"))
            }
        }
        #expect(outcomes == [.created(1), .existing(1), .existing(1)])
        #expect(try count(database) == 1)
        #expect(throws: StoreError.idempotencyConflict(key: "key-1", jobID: 1)) {
            try database.enqueueJobs(now: referenceNow) { enqueue in
                _ = try enqueue(try request("https://other.com"), "key-1")
            }
        }
    }

    @Test func aFailureRollsBackEveryJobOfTheBatch() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try database.enqueueJobs(now: referenceNow) { enqueue in
                for index in 0..<100 { _ = try enqueue(try request("https://a.com/\(index)"), nil) }
                throw Stop()
            }
        }
        #expect(try count(database) == 0)
    }

    @Test func cancelStopsOpenJobsOnlyAndRecordsTheEvent() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        try database.enqueueJobs(now: referenceNow) { enqueue in _ = try enqueue(try request("https://a.com"), nil) }
        let cancelled = try database.cancelJob(id: 1, now: referenceNow.addingTimeInterval(5))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.nextActionAt == nil)
        #expect(cancelled.completedAt == UTCTime.format(referenceNow.addingTimeInterval(5)))
        #expect(throws: StoreError.jobStateConflict(id: 1, status: .cancelled, operation: "cancel")) {
            try database.cancelJob(id: 1, now: referenceNow)
        }
        #expect(throws: StoreError.jobNotFound(7)) { try database.cancelJob(id: 7, now: referenceNow) }
        let events = try database.jobDetails(id: 1).events
        #expect(events.map(\.toState) == ["cancelled"])
        #expect(events.first?.fromState == "queued")
    }

    @Test func listingFiltersByStatusNewestFirst() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        try database.enqueueJobs(now: referenceNow) { enqueue in
            for index in 1...5 { _ = try enqueue(try request("https://a.com/\(index)"), nil) }
        }
        try database.cancelJob(id: 2, now: referenceNow)
        #expect(try database.jobs(limit: 3).map(\.id) == [5, 4, 3])
        #expect(try database.jobs(status: .cancelled, limit: 10).map(\.id) == [2])
        let summary = try database.statusSummary()
        #expect(summary.jobs[.queued] == 4)
        #expect(summary.jobs[.cancelled] == 1)
        #expect(summary.jobs[.done] == 0)
        #expect(summary.oldestOpenJobCreatedAt == UTCTime.format(referenceNow))
    }

    @Test func theSchemaRefusesImpossibleJobs() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO oxylabs_jobs (source, url, query, payload, result_types, batch_key, created_at, updated_at)
                        VALUES ('universal', 'https://a.com', 'both', '{}', 'raw', 'k', 'now', 'now')
                        """
                )
            }
        }
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO oxylabs_jobs (source, url, payload, result_types, batch_key, status, created_at, updated_at)
                        VALUES ('universal', 'https://a.com', '{}', 'raw', 'k', 'lost', 'now', 'now')
                        """
                )
            }
        }
    }
}
