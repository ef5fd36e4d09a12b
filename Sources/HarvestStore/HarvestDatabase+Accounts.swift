import Foundation
import GRDB
import HarvestCore

/// An upstream account's state, as `harvest status` and `/readyz` report it. Holds no secret.
public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord {
    public var provider: String
    public var baseURL: String
    public var username: String
    /// `ok`, `needs-credentials` or `rate-limited`.
    public var state: String
    public var lastError: String?
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case provider, username, state
        case baseURL = "base_url"
        case lastError = "last_error"
        case updatedAt = "updated_at"
    }
}

extension HarvestDatabase {
    /// Records an account's state (and logs the change as an event when it changes).
    public func setAccountState(
        provider: String,
        baseURL: String,
        username: String,
        state: String,
        error: String?,
        now: Date
    ) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            let previous = try String.fetchOne(
                db,
                sql: "SELECT state FROM harvest_accounts WHERE provider = ? AND base_url = ? AND username = ?",
                arguments: [provider, baseURL, username]
            )
            guard previous != state else { return }
            try db.execute(
                sql: """
                    INSERT INTO harvest_accounts (provider, base_url, username, state, last_error, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider, base_url, username) DO UPDATE
                    SET state = excluded.state, last_error = excluded.last_error, updated_at = excluded.updated_at
                    """,
                arguments: [provider, baseURL, username, state, error, timestamp]
            )
            try Self.recordEvent(
                db,
                subject: "account:\(provider):\(username)",
                from: previous,
                to: state,
                detail: error,
                at: timestamp
            )
        }
    }

    /// Records the Oxylabs submission rate a service uses: `rate` per second, the limit the rate headers
    /// announced (nil: none, the rate is probed) and the rate a 429 last refused (nil: none yet).
    public func setSubmissionRate(
        provider: String,
        baseURL: String,
        username: String,
        rate: Double,
        announcedLimit: Int?,
        refusedAt: Double?,
        now: Date
    ) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO harvest_accounts (provider, base_url, username, state, updated_at,
                        submission_rate, submission_limit, submission_rate_refused)
                    VALUES (?, ?, ?, 'ok', ?, ?, ?, ?)
                    ON CONFLICT (provider, base_url, username) DO UPDATE
                    SET submission_rate = excluded.submission_rate, submission_limit = excluded.submission_limit,
                        submission_rate_refused = excluded.submission_rate_refused
                    """,
                arguments: [
                    provider, baseURL, username, UTCTime.format(now), rate, announcedLimit, refusedAt,
                ]
            )
        }
    }

    /// Every account Harvest has used.
    public func accounts() throws -> [AccountRecord] {
        try writer.read { db in
            try AccountRecord.fetchAll(
                db,
                sql:
                    "SELECT provider, base_url, username, state, last_error, updated_at FROM harvest_accounts ORDER BY provider"
            )
        }
    }

    /// Puts a claimed pending job back without counting an error: the account, not the job, is at fault.
    public func postponeJob(id: Int64, until: Date, reason: String, now: Date, owner: String) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET next_action_at = ?, last_error = ?, lease_owner = NULL,
                        lease_expires_at = NULL, updated_at = ?
                    WHERE id = ? AND status = 'pending' AND lease_owner = ?
                    """,
                arguments: [UTCTime.format(until), reason, timestamp, id, owner]
            )
        }
    }
}
