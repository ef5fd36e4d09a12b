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
                    SELECT window_to_inclusive, by_time_total, page_index FROM harvest_accounts
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
                pageIndex: readings.pageIndex ?? old.pageIndex
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

    /// The account's stored readings; nil when the account has no row yet.
    private static func storedReadings(_ db: Database, baseURL: String, username: String) throws -> OctoparseReadings? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT window_to_inclusive, by_time_total, page_index FROM harvest_accounts
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
            pageIndex: (row["page_index"] as String?).flatMap(PageIndexReading.init(rawValue:))
        )
    }
}
