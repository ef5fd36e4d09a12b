import Foundation
import HarvestCore
import HarvestStore
import Testing

/// `HarvestDatabase(readingOnly:)`, what `harvest doctor` opens: it creates nothing, migrates nothing and
/// cannot write.
struct ReadingOnlyTests {
    @Test func aMissingFileIsNotCreated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("absent.sqlite")
        #expect(throws: StoreError.self) { try HarvestDatabase(readingOnly: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func anOlderSchemaIsReadAsItIsAndNothingCanBeWritten() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        // A database made by an older binary: every migration but the last.
        _ = try HarvestDatabase(path: path, migrations: Array(Migration.all.dropLast()))
        let database = try HarvestDatabase(readingOnly: path)
        #expect(try database.pendingMigrations() == [Migration.all.last!.fileName])
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "CREATE TABLE x (y)") }
        }
        // Still not migrated.
        #expect(try HarvestDatabase(readingOnly: path).pendingMigrations().count == 1)
    }

    @Test func aCurrentDatabaseReadsItsTasksAndTokens() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("current.sqlite")
        let writer = try HarvestDatabase(path: path)
        try writer.saveToken(
            baseURL: "https://dataapi.octoparse.com",
            username: "someone",
            accessToken: "access",
            refreshToken: "refresh",
            expiresAt: referenceNow.addingTimeInterval(3600),
            obtainedAt: referenceNow
        )
        let database = try HarvestDatabase(readingOnly: path)
        #expect(try database.pendingMigrations().isEmpty)
        #expect(try database.tasks().isEmpty)
        #expect(
            try database.storedToken(baseURL: "https://dataapi.octoparse.com", username: "someone")?.accessToken
                == "access"
        )
    }
}
