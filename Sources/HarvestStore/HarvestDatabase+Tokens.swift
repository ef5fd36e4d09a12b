import Foundation
import GRDB
import HarvestCore

/// API tokens in `harvest_tokens`, keyed by (base URL, username), so that every process on the file uses
/// the same token and a restarted process does not ask for a new one. `harvest query` cannot read them.
extension HarvestDatabase {
    /// The token stored for the account, or nil when there is none.
    public func storedToken(baseURL: String, username: String) throws -> OctoparseStoredToken? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT access_token, refresh_token, expires_at, obtained_at FROM harvest_tokens
                        WHERE base_url = ? AND username = ?
                        """,
                    arguments: [baseURL, username]
                )
            else { return nil }
            // A time that does not parse is treated as long past, so the token is renewed, not trusted.
            let past = Date(timeIntervalSince1970: 0)
            return OctoparseStoredToken(
                accessToken: row["access_token"],
                refreshToken: row["refresh_token"],
                expiresAt: UTCTime.parse(row["expires_at"]) ?? past,
                obtainedAt: UTCTime.parse(row["obtained_at"]) ?? past
            )
        }
    }

    /// Stores (or replaces) the account's token. Called as soon as a grant is answered, before the token
    /// is used: a refresh rotates the refresh token, and the old one stops working.
    public func saveToken(
        baseURL: String,
        username: String,
        accessToken: String,
        refreshToken: String?,
        expiresAt: Date,
        obtainedAt: Date
    ) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO harvest_tokens (base_url, username, access_token, refresh_token, expires_at, obtained_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (base_url, username) DO UPDATE
                    SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
                        expires_at = excluded.expires_at, obtained_at = excluded.obtained_at
                    """,
                arguments: [
                    baseURL, username, accessToken, refreshToken, UTCTime.format(expiresAt), UTCTime.format(obtainedAt),
                ]
            )
        }
    }
}
