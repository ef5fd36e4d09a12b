import Foundation
import HarvestCore

/// An Octoparse token pair as `harvest_tokens` keeps it, shared by every process on the database file.
/// Its description shows no token.
public struct OctoparseStoredToken: Sendable, Equatable, CustomStringConvertible {
    public var accessToken: String
    public var refreshToken: String?
    public var expiresAt: Date
    public var obtainedAt: Date

    public init(accessToken: String, refreshToken: String?, expiresAt: Date, obtainedAt: Date) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.obtainedAt = obtainedAt
    }

    public var description: String {
        "stored token obtained \(UTCTime.format(obtainedAt)), expiring \(UTCTime.format(expiresAt))"
    }
}
