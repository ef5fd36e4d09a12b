import Foundation
import GRDB
import HarvestCore

/// Applies `migrations/` in order, each in its own immediate transaction, and refuses a database whose
/// applied migrations do not match this binary's.
///
/// GRDB's `DatabaseMigrator` records only names; Harvest also records a checksum of each file so that an
/// edited, already-applied migration stops start-up instead of drifting silently. Each step re-reads the
/// bookkeeping table inside its transaction, so two processes starting at once do not both apply it.
struct Migrator {
    var migrations: [Migration]

    /// Brings `writer`'s schema up to date; returns the file names it applied.
    @discardableResult
    func migrate(_ writer: any DatabaseWriter, now: Date) throws -> [String] {
        // Up to date: checked with a read, so that opening the file does not wait for another process's
        // write transaction (`harvest status` answers while a service holds the write lock).
        let upToDate = try writer.read { db in
            guard try db.tableExists("harvest_migrations") else { return false }
            try verify(db)
            return Set(try appliedMigrations(db)).isSuperset(of: migrations.map(\.fileName))
        }
        if upToDate { return [] }
        return try writer.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS harvest_migrations (
                        file_name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL
                    ) WITHOUT ROWID
                    """
            )
            var applied: [String] = []
            try db.inTransaction(.immediate) {
                try verify(db)
                return .commit
            }
            for migration in migrations {
                try db.inTransaction(.immediate) {
                    let recorded = try String.fetchOne(
                        db,
                        sql: "SELECT checksum FROM harvest_migrations WHERE file_name = ?",
                        arguments: [migration.fileName]
                    )
                    if recorded != nil { return .commit }
                    try db.execute(sql: migration.sql)
                    try db.checkForeignKeys()
                    try db.execute(
                        sql: "INSERT INTO harvest_migrations (file_name, checksum, applied_at) VALUES (?, ?, ?)",
                        arguments: [migration.fileName, migration.checksum, UTCTime.format(now)]
                    )
                    applied.append(migration.fileName)
                    return .commit
                }
            }
            return applied
        }
    }

    /// The file names applied to the database, in order.
    func appliedMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("harvest_migrations") else { return [] }
        return try String.fetchAll(db, sql: "SELECT file_name FROM harvest_migrations ORDER BY file_name")
    }

    private func verify(_ db: Database) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.fileName, $0.checksum) })
        let rows = try Row.fetchAll(db, sql: "SELECT file_name, checksum FROM harvest_migrations ORDER BY file_name")
        for row in rows {
            let fileName: String = row["file_name"]
            guard let checksum = known[fileName] else { throw StoreError.unknownMigration(fileName: fileName) }
            guard checksum == row["checksum"] else { throw StoreError.tamperedMigration(fileName: fileName) }
        }
    }
}
