import Foundation
import GRDB
import HarvestStore
import Testing

@Suite struct MigrationTests {
    @Test func freshDatabaseGetsThePublicAndInternalTables() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        #expect(database.newlyApplied == Migration.all.map(\.fileName))
        #expect(database.newlyApplied.first == "0001_initial.sql")
        let tables = try database.writer.read { db in
            try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in [
            "oxylabs_jobs", "oxylabs_results", "octoparse_task_groups", "octoparse_tasks", "octoparse_columns",
            "octoparse_windows", "harvest_accounts", "harvest_tokens", "harvest_secrets", "harvest_leases",
            "harvest_events", "harvest_migrations",
        ] {
            #expect(tables.contains(table), "missing \(table)")
        }
    }

    @Test func reopeningIsANoOp() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.database()
        let again = try directory.database()
        #expect(again.newlyApplied.isEmpty)
        #expect(try again.appliedMigrations() == Migration.all.map(\.fileName))
    }

    @Test func anEditedAppliedMigrationIsRefusedByName() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.database()
        var edited = Migration.all
        edited[0].sql += "\n-- edited after it was applied\n"
        #expect(throws: StoreError.tamperedMigration(fileName: "0001_initial.sql")) {
            try HarvestDatabase(path: directory.path("harvest.sqlite"), migrations: edited)
        }
        let message = StoreError.tamperedMigration(fileName: "0001_initial.sql").description
        #expect(message.contains("0001_initial.sql"))
    }

    @Test func aDatabaseFromANewerHarvestIsRefused() throws {
        let directory = try TemporaryDirectory()
        let newer = Migration.all + [Migration(fileName: "0999_future.sql", sql: "CREATE TABLE future (x);")]
        _ = try HarvestDatabase(path: directory.path("harvest.sqlite"), migrations: newer)
        #expect(throws: StoreError.unknownMigration(fileName: "0999_future.sql")) {
            try directory.database()
        }
    }

    @Test func aFailingMigrationLeavesNoTrace() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.database()
        let broken =
            Migration.all + [
                Migration(fileName: "0900_broken.sql", sql: "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);")
            ]
        #expect(throws: DatabaseError.self) {
            try HarvestDatabase(path: directory.path("harvest.sqlite"), migrations: broken)
        }
        let database = try directory.database()
        let half = try database.writer.read { db in try db.tableExists("half") }
        #expect(!half)
        #expect(try database.appliedMigrations() == Migration.all.map(\.fileName))
    }

    @Test func newFilesArePrivateAndInWALMode() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.database()
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO harvest_secrets (name, value, created_at) VALUES ('k', 'v', 'now')")
        }
        for suffix in ["", "-wal", "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.path("harvest.sqlite") + suffix)
            let mode = (attributes[.posixPermissions] as! NSNumber).intValue
            #expect(mode & 0o077 == 0, "harvest.sqlite\(suffix) has mode \(String(mode, radix: 8))")
        }
        let (journal, foreignKeys, synchronous) = try database.writer.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            )
        }
        #expect(journal == "wal")
        #expect(foreignKeys == true)
        #expect(synchronous == 1)  // NORMAL
    }

    @Test func missingDirectoryAndGarbageFilesAreClearErrors() throws {
        let directory = try TemporaryDirectory()
        #expect(
            throws: StoreError.cannotOpen(path: directory.path("nope/h.sqlite"), reason: "its directory does not exist")
        ) {
            try HarvestDatabase(path: directory.path("nope/h.sqlite"))
        }
        try Data("this is not a database, just some text that is long enough".utf8).write(
            to: URL(fileURLWithPath: directory.path("garbage.sqlite"))
        )
        #expect {
            try HarvestDatabase(path: directory.path("garbage.sqlite"))
        } throws: { error in
            (error as? StoreError)?.description.contains("garbage.sqlite") == true
        }
        #expect(throws: StoreError.self) { try HarvestDatabase(path: directory.path("absent.sqlite"), create: false) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("absent.sqlite")))
    }
}
