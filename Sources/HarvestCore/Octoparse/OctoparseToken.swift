import Foundation

/// A token grant's answer: the bearer token for data calls and the refresh token that renews it. Its
/// description shows neither.
public struct OctoparseToken: Sendable, Equatable, CustomStringConvertible {
    public var accessToken: String
    /// Usually rotated by every refresh: the old one stops working, so store the new one at once.
    public var refreshToken: String?
    /// The lifetime the answer announced (`expires_in`, read rather than assumed: 86,399 in practice).
    public var expiresIn: Int
    /// When the grant was requested: counting the lifetime from the request, not the answer, errs on the
    /// early side.
    public var obtainedAt: Date

    public init(accessToken: String, refreshToken: String?, expiresIn: Int, obtainedAt: Date) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
        self.obtainedAt = obtainedAt
    }

    /// When the access token stops working, by the answer's word.
    public var expiresAt: Date { obtainedAt.addingTimeInterval(TimeInterval(expiresIn)) }

    public var description: String {
        "Octoparse token (expires in \(expiresIn) s\(refreshToken == nil ? ", no refresh token" : ""))"
    }
}
