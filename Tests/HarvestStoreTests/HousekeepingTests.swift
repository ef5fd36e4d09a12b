import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

/// `harvest prune` and `harvest backup` at the store level.
@Suite struct HousekeepingTests {
    /// A done job with one raw result page fetched `age` seconds before `referenceNow`.
    private func addJob(_ database: HarvestDatabase, id: Int64, age: TimeInterval, content: String) throws {
        let fetched = UTCTime.format(referenceNow.addingTimeInterval(-age))
        try database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO oxylabs_jobs (id, source, url, payload, result_types, batch_key, status, created_at, updated_at)
                    VALUES (?, 'universal', 'https://example.com', '{}', 'raw', 'universal', 'done', ?, ?)
                    """,
                arguments: [id, fetched, fetched]
            )
            try db.execute(
                sql: """
                    INSERT INTO oxylabs_results (job_id, type, page, status_code, content, bytes, fetched_at)
                    VALUES (?, 'raw', 1, 200, ?, ?, ?)
                    """,
                arguments: [id, content, content.utf8.count, fetched]
            )
        }
    }

    @Test func pruneDropsOldContentsAndKeepsJobsAndResultRows() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let database = try directory.database()
        try addJob(database, id: 1, age: 40 * 86_400, content: "old page")
        try addJob(database, id: 2, age: 10 * 86_400, content: "new page")
        let cutoff = referenceNow.addingTimeInterval(-30 * 86_400)

        let dryRun = try database.pruneResults(fetchedBefore: cutoff, dryRun: true, now: referenceNow)
        #expect(dryRun == PruneSummary(results: 1, jobs: 1, bytes: 8))
        #expect(try database.resultContent(jobID: 1, type: .raw, page: 1) == .text("old page"))

        let pruned = try database.pruneResults(fetchedBefore: cutoff, dryRun: false, now: referenceNow)
        #expect(pruned == dryRun)
        #expect(throws: StoreError.resultPruned(jobID: 1, at: UTCTime.format(referenceNow))) {
            try database.resultContent(jobID: 1, type: .raw, page: 1)
        }
        #expect(try database.resultContent(jobID: 2, type: .raw, page: 1) == .text("new page"))
        let details = try database.jobDetails(id: 1)
        #expect(details.job.status == .done)
        #expect(details.results.map(\.bytes) == [8])
        #expect(details.results.map(\.prunedAt) == [UTCTime.format(referenceNow)])

        let again = try database.pruneResults(fetchedBefore: cutoff, dryRun: false, now: referenceNow)
        #expect(again == PruneSummary(results: 0, jobs: 0, bytes: 0))
    }

    @Test func backupIsAConsistentCopyTakenWhileAnotherConnectionWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let database = try directory.database()
        try addJob(database, id: 1, age: 0, content: "page")
        // Another process's service, writing job after job in its own transactions all along.
        let writer = try directory.database()
        let writing = Task.detached {
            var id: Int64 = 2
            while !Task.isCancelled {
                try self.addJob(writer, id: id, age: 0, content: String(repeating: "x", count: 4_000))
                id += 1
                // The pool has one thread per core: a loop that never suspends starves other tests.
                await Task.yield()
            }
            return id - 1
        }
        // The backup starts once the writer is well under way, and the writer goes on after it.
        func jobs() throws -> Int {
            try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM oxylabs_jobs") ?? 0 }
        }
        while try jobs() < 50 { await Task.yield() }
        let path = directory.path("backup.sqlite")
        let summary = try database.backup(to: path)
        let afterBackup = try jobs()
        while try jobs() < afterBackup + 50 { await Task.yield() }
        writing.cancel()
        let written = try await writing.value
        #expect(summary.bytes > 0)

        let copy = try DatabaseQueue(path: path)
        let (check, copied, results) = try await copy.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                try Int64.fetchOne(db, sql: "SELECT count(*) FROM oxylabs_jobs") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT count(*) FROM oxylabs_results") ?? 0
            )
        }
        #expect(check == "ok")
        // One snapshot: every job with its result, none half-written, and none after the copy began.
        #expect(copied == results)
        #expect((50...Int64(afterBackup)).contains(copied))
        #expect(written >= Int64(afterBackup) + 50)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        #expect(try HarvestDatabase(path: path).appliedMigrations() == database.appliedMigrations())
    }

    @Test func backupRefusesAnExistingFileAndLeavesItAlone() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let database = try directory.database()
        let path = directory.path("taken.sqlite")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.cannotBackUp(path: path, reason: "the file exists; choose a new name")) {
            try database.backup(to: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("precious".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path("."))
            .filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }
}
