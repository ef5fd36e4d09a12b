import Foundation
import GRDB
import HarvestCore

/// Leases on named resources (`token:<account>`, `task:<id>`) in `harvest_leases`: one process at a time
/// works on a resource, and a crashed process's lease expires and is taken over.
extension HarvestDatabase {
    /// Takes (or renews) the lease on `resource` for `owner` until `now + duration`. Returns false when
    /// another owner holds an unexpired lease.
    public func acquireLease(resource: String, owner: String, for duration: Duration, now: Date) throws -> Bool {
        try writer.write { db in try Self.acquireLease(db, resource: resource, owner: owner, for: duration, now: now) }
    }

    /// ``acquireLease(resource:owner:for:now:)`` inside a caller's transaction.
    static func acquireLease(
        _ db: Database,
        resource: String,
        owner: String,
        for duration: Duration,
        now: Date
    ) throws -> Bool {
        let expires = UTCTime.format(now.addingTimeInterval(duration.seconds))
        try db.execute(
            sql: """
                INSERT INTO harvest_leases (resource, owner, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE harvest_leases.owner = excluded.owner OR harvest_leases.expires_at <= ?
                """,
            arguments: [resource, owner, expires, UTCTime.format(now)]
        )
        return db.changesCount > 0
    }

    /// Gives up `owner`'s lease on `resource` (nothing happens when another owner holds it).
    public func releaseLease(resource: String, owner: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM harvest_leases WHERE resource = ? AND owner = ?",
                arguments: [resource, owner]
            )
        }
    }

    /// The leases held now, for checks and `harvest status`.
    public func activeLeases(now: Date) throws -> [(resource: String, owner: String)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT resource, owner FROM harvest_leases WHERE expires_at > ? ORDER BY resource",
                arguments: [UTCTime.format(now)]
            ).map { (resource: $0["resource"], owner: $0["owner"]) }
        }
    }
}
