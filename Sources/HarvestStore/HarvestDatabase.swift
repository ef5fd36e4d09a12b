import Foundation
import GRDB
import HarvestCore

/// The one SQLite file behind Harvest: opened in WAL mode with a busy timeout and foreign keys on, one
/// writer and a pool of readers, schema migrated on open.
///
/// Workers and commands never write SQL of their own: they call this type's intention-named methods
/// (`enqueueJobs`, `cancelJob`, …), each of which is one transaction.
public final class HarvestDatabase: Sendable {
    /// How long a statement waits for another process's write lock before failing with SQLITE_BUSY.
    public static let busyTimeout: TimeInterval = 5

    /// The path of the database file.
    public let path: String
    /// The connection pool (WAL: readers never block the writer).
    public let writer: DatabasePool
    /// The migrations this open applied (empty when the schema was already up to date).
    public let newlyApplied: [String]

    /// Opens (and, when `create` is true, creates with mode 0600) the database at `path` and applies
    /// pending migrations.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file is missing (and `create` is false),
    ///   unreadable, or not a database; ``StoreError/tamperedMigration(fileName:)`` or
    ///   ``StoreError/unknownMigration(fileName:)`` when its schema history does not match this binary.
    public init(
        path: String,
        create: Bool = true,
        migrations: [Migration] = Migration.all,
        now: Date = Date()
    ) throws {
        self.path = path
        if FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw StoreError.cannotOpen(path: path, reason: "permission denied")
            }
        } else {
            guard create else {
                throw StoreError.cannotOpen(
                    path: path,
                    reason: "no such file (run `harvest migrate` to create it, or pass --db)"
                )
            }
            try Self.createPrivateFile(path)
        }
        try Self.checkWritable(path)
        do {
            writer = try DatabasePool(path: path, configuration: Self.configuration())
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: DatabaseFailure.describe(error) ?? "\(error.resultCode)")
        }
        do {
            newlyApplied = try Migrator(migrations: migrations).migrate(writer, now: now)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.cannotOpen(path: path, reason: "not a SQLite database")
        } catch let error as DatabaseError where DatabaseFailure.isEnvironmental(error) {
            throw StoreError.cannotOpen(path: path, reason: DatabaseFailure.describe(error) ?? "\(error.resultCode)")
        }
    }

    /// Opens an existing database for reading only: no migration, no write, no file created (`harvest
    /// doctor`, which must leave the file as it found it). Its schema may be older than this binary's:
    /// see ``pendingMigrations()``.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file is missing, unreadable or not a
    ///   database.
    public init(readingOnly path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "no such file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "permission denied")
        }
        var configuration = Self.configuration()
        configuration.readonly = true
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            // A file that is not a database fails here, at its first read.
            _ = try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: DatabaseFailure.describe(error) ?? "\(error.resultCode)")
        }
        newlyApplied = []
    }

    /// The migrations of this binary not applied to the database yet (a database opened
    /// ``init(readingOnly:)`` is not migrated).
    public func pendingMigrations() throws -> [String] {
        let applied = Set(try appliedMigrations())
        return Migration.all.map(\.fileName).filter { !applied.contains($0) }
    }

    /// The file names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Migrator(migrations: []).appliedMigrations(db) }
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "harvest"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            // Debian's SQLite defaults to FULL; NORMAL is durable in WAL mode except on power loss.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// SQLite writes `-wal` and `-shm` files beside the database, even to read it: a read-only file,
    /// directory or file system is named before SQLite fails with a vaguer message.
    private static func checkWritable(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        for (target, what) in [(path, "the file"), (directory.isEmpty ? "." : directory, "its directory")]
        where access(target, W_OK) != 0 {
            let reason = errno == EROFS ? "it is on a read-only file system" : "\(what) is not writable"
            throw StoreError.cannotOpen(
                path: path,
                reason: "\(reason) (SQLite writes -wal and -shm files beside the database, even to read it)"
            )
        }
    }

    /// Creates an empty file readable by its owner only; SQLite gives its -wal and -shm files the same mode.
    private static func createPrivateFile(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            let code = errno
            if code == EEXIST { return }
            let reason = code == ENOENT ? "its directory does not exist" : String(cString: strerror(code))
            throw StoreError.cannotOpen(path: path, reason: reason)
        }
        close(descriptor)
    }
}
