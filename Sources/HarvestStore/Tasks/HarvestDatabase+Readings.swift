import Foundation
import GRDB
import HarvestCore

/// The readings of open points an Octoparse account's server follows, kept per account (base URL and
/// username) in `harvest_accounts`.
extension HarvestDatabase {
    /// What has been learned of the account's server; every reading nil when nothing is known.
    public func octoparseReadings(baseURL: String, username: String) throws -> OctoparseReadings {
        try writer.read { db in
            try Self.storedReadings(db, baseURL: baseURL, username: username) ?? OctoparseReadings()
        }
    }

    /// The readings of every Octoparse account the database knows (one, as a rule).
    public func octoparseReadingsOfEveryAccount() throws -> [OctoparseReadings] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT window_to_inclusive, by_time_total, page_index, zone_evidence FROM harvest_accounts
                    WHERE provider = 'octoparse' ORDER BY base_url, username
                    """
            ).map(Self.readings)
        }
    }

    /// Remembers `readings` for the account, with an event naming each reading that changed. A reading
    /// left nil keeps what was stored.
    public func recordOctoparseReadings(
        _ readings: OctoparseReadings,
        baseURL: String,
        username: String,
        now: Date
    ) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            let before = try Self.storedReadings(db, baseURL: baseURL, username: username)
            let old = before ?? OctoparseReadings()
            let new = OctoparseReadings(
                toInclusive: readings.toInclusive ?? old.toInclusive,
                total: readings.total ?? old.total,
                pageIndex: readings.pageIndex ?? old.pageIndex,
                zone: old.zone
            )
            guard new != old || before == nil else { return }
            try db.execute(
                sql: """
                    INSERT INTO harvest_accounts
                        (provider, base_url, username, window_to_inclusive, by_time_total, page_index, updated_at)
                    VALUES ('octoparse', ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider, base_url, username) DO UPDATE
                    SET window_to_inclusive = excluded.window_to_inclusive, by_time_total = excluded.by_time_total,
                        page_index = excluded.page_index, updated_at = excluded.updated_at
                    """,
                arguments: [
                    baseURL, username, new.toInclusive, new.total?.rawValue, new.pageIndex?.rawValue, timestamp,
                ]
            )
            for (was, now) in zip(old.descriptions, new.descriptions) where was != now {
                try Self.recordEvent(
                    db,
                    subject: "account:octoparse:\(username)",
                    from: nil,
                    to: nil,
                    detail: "the API's \(now)",
                    at: timestamp
                )
            }
        }
    }

    /// Records a sign that the account's storage times are not in the configured zone: the skew (for the
    /// metric) and the line that says it and the fix (for `harvest status`), with an event when it changed.
    public func recordZoneSkew(_ skew: ZoneSkew, message: String, baseURL: String, username: String, now: Date) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            let previous = try Int.fetchOne(
                db,
                sql: """
                    SELECT zone_skew_seconds FROM harvest_accounts
                    WHERE provider = 'octoparse' AND base_url = ? AND username = ?
                    """,
                arguments: [baseURL, username]
            )
            try db.execute(
                sql: """
                    INSERT INTO harvest_accounts
                        (provider, base_url, username, zone_skew_seconds, zone_evidence, zone_evidence_at, updated_at)
                    VALUES ('octoparse', ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider, base_url, username) DO UPDATE
                    SET zone_skew_seconds = excluded.zone_skew_seconds, zone_evidence = excluded.zone_evidence,
                        zone_evidence_at = excluded.zone_evidence_at
                    """,
                arguments: [baseURL, username, skew.seconds, message, timestamp, timestamp]
            )
            guard previous != skew.seconds else { return }
            try Self.recordEvent(
                db,
                subject: "account:octoparse:\(username)",
                from: nil,
                to: nil,
                detail: message,
                at: timestamp
            )
        }
    }

    /// The zone skew of every Octoparse account that showed one, in seconds, keyed by username.
    public func octoparseZoneSkews() throws -> [String: Int] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT username, zone_skew_seconds FROM harvest_accounts
                    WHERE provider = 'octoparse' AND zone_skew_seconds IS NOT NULL
                    """
            )
            return Dictionary(rows.map { ($0["username"] as String, $0["zone_skew_seconds"] as Int) }) { $1 }
        }
    }

    /// The account's stored readings; nil when the account has no row yet.
    private static func storedReadings(_ db: Database, baseURL: String, username: String) throws -> OctoparseReadings? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT window_to_inclusive, by_time_total, page_index, zone_evidence FROM harvest_accounts
                WHERE provider = 'octoparse' AND base_url = ? AND username = ?
                """,
            arguments: [baseURL, username]
        ).map(readings)
    }

    /// The readings in a row of `harvest_accounts`.
    private static func readings(_ row: Row) -> OctoparseReadings {
        OctoparseReadings(
            toInclusive: row["window_to_inclusive"],
            total: (row["by_time_total"] as String?).flatMap(TotalReading.init(rawValue:)),
            pageIndex: (row["page_index"] as String?).flatMap(PageIndexReading.init(rawValue:)),
            zone: row["zone_evidence"]
        )
    }
}
