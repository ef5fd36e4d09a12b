import Foundation

/// When to refresh an access token: well before it expires, so that no call ever carries an expired
/// token, yet not so early that refreshes pile up.
///
/// A token is refreshed once its remaining lifetime drops below a margin of
/// `min(half the lifetime, max(10% of the lifetime, 5 minutes))`: Octoparse's 86,399-second tokens are
/// refreshed 2.4 hours before they expire, a 20-minute token 5 minutes before, and a token of a few
/// seconds (tests) at half its life.
public enum TokenRefreshPolicy {
    /// The margin below which a token is refreshed, whatever its lifetime's share.
    public static let minimumMargin: TimeInterval = 300

    /// How long before expiry a token of `lifetime` seconds is refreshed.
    public static func margin(lifetime: TimeInterval) -> TimeInterval {
        let lifetime = max(0, lifetime)
        return min(lifetime / 2, max(lifetime / 10, minimumMargin))
    }

    /// The instant from which a token obtained at `obtainedAt` and expiring at `expiresAt` is refreshed.
    public static func refreshAt(obtainedAt: Date, expiresAt: Date) -> Date {
        expiresAt.addingTimeInterval(-margin(lifetime: expiresAt.timeIntervalSince(obtainedAt)))
    }

    /// Whether the token should be refreshed at `now`.
    public static func needsRefresh(obtainedAt: Date, expiresAt: Date, now: Date) -> Bool {
        now >= refreshAt(obtainedAt: obtainedAt, expiresAt: expiresAt)
    }
}
