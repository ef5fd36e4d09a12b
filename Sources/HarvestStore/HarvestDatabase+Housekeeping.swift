import Foundation
import GRDB
import HarvestCore

/// What `harvest prune` dropped (or, in a dry run, would drop).
public struct PruneSummary: Sendable, Equatable, Encodable {
    public var results: Int
    public var jobs: Int
    public var bytes: Int64

    public init(results: Int, jobs: Int, bytes: Int64) {
        self.results = results
        self.jobs = jobs
        self.bytes = bytes
    }
}

/// What `harvest backup` wrote.
public struct BackupSummary: Sendable, Equatable, Encodable {
    public var path: String
    public var bytes: Int64
}

extension HarvestDatabase {
    /// Drops the contents of result pages fetched before `cutoff`, keeping their rows and the jobs. Works
    /// in small transactions, so a running service is never held up for long.
    public func pruneResults(fetchedBefore cutoff: Date, dryRun: Bool, now: Date) throws -> PruneSummary {
        let before = UTCTime.format(cutoff)
        let summary = try writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*), count(DISTINCT job_id), coalesce(sum(bytes), 0) FROM oxylabs_results
                    WHERE fetched_at < ? AND pruned_at IS NULL
                    """,
                arguments: [before]
            )!
            return PruneSummary(results: row[0], jobs: row[1], bytes: row[2])
        }
        guard !dryRun else { return summary }
        let timestamp = UTCTime.format(now)
        while true {
            let changed = try writer.write { db in
                try db.execute(
                    sql: """
                        UPDATE oxylabs_results SET content = NULL, pruned_at = ?
                        WHERE id IN (
                            SELECT id FROM oxylabs_results WHERE fetched_at < ? AND pruned_at IS NULL LIMIT 500
                        )
                        """,
                    arguments: [timestamp, before]
                )
                return db.changesCount
            }
            if changed == 0 { return summary }
        }
    }

    /// Copies the database to a new file at `path` with SQLite's online backup, from one read snapshot:
    /// consistent while a service writes. The copy is written beside `path` and renamed into place, so
    /// `path` either does not exist or holds a whole backup. It holds tokens and secrets too: it is created
    /// readable by its owner only.
    public func backup(to path: String) throws -> BackupSummary {
        let target = URL(fileURLWithPath: path)
        guard !FileManager.default.fileExists(atPath: target.path) else {
            throw StoreError.cannotBackUp(path: path, reason: "the file exists; choose a new name")
        }
        let partial = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        guard
            FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw StoreError.cannotBackUp(path: path, reason: "cannot create a file in its directory")
        }
        do {
            let copy = try DatabaseQueue(path: partial.path)
            try writer.backup(to: copy)
            try copy.close()
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if let error = error as? StoreError { throw error }
            let reason = (error as? DatabaseError)?.message ?? (error as NSError).localizedDescription
            throw StoreError.cannotBackUp(path: path, reason: reason)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.int64Value
        return BackupSummary(path: path, bytes: size ?? 0)
    }
}

extension HarvestDatabase {
    /// Throws unless a write transaction can start now (`/readyz`): the file is writable and no other
    /// connection holds the write lock past the busy timeout.
    public func checkWritable() throws {
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) { .rollback }
        }
    }
}
