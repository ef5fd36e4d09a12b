import Foundation
import HarvestCore
import Testing

@Suite struct TokenRefreshPolicyTests {
    private let start = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: [
        // Octoparse's own lifetime: 10% (8,639.9 s) beats the 5-minute floor and is below half.
        (86_399.0, 8_639.9),
        // 20 minutes: 10% is 2 minutes, so the 5-minute floor wins.
        (1_200.0, 300.0),
        // 10 minutes: the floor is exactly half.
        (600.0, 300.0),
        // A few seconds (tests): half the lifetime, never more.
        (4.0, 2.0),
        (0.0, 0.0),
        (-5.0, 0.0),
    ])
    func theMarginIsTheSmallerOfHalfAndTheLargerOfTenPercentAndFiveMinutes(lifetime: Double, margin: Double) {
        #expect(abs(TokenRefreshPolicy.margin(lifetime: lifetime) - margin) < 1e-6)
    }

    @Test func aDayLongTokenIsRefreshedHoursBeforeItExpires() {
        let expires = start.addingTimeInterval(86_399)
        let refreshAt = TokenRefreshPolicy.refreshAt(obtainedAt: start, expiresAt: expires)
        #expect(abs(refreshAt.timeIntervalSince(start) - 77_759.1) < 1e-3)
        #expect(!TokenRefreshPolicy.needsRefresh(obtainedAt: start, expiresAt: expires, now: start))
        #expect(
            !TokenRefreshPolicy.needsRefresh(
                obtainedAt: start,
                expiresAt: expires,
                now: refreshAt.addingTimeInterval(-0.001)
            )
        )
        #expect(TokenRefreshPolicy.needsRefresh(obtainedAt: start, expiresAt: expires, now: refreshAt))
    }

    @Test func anExpiredTokenAlwaysNeedsARefresh() {
        let expires = start.addingTimeInterval(60)
        #expect(TokenRefreshPolicy.needsRefresh(obtainedAt: start, expiresAt: expires, now: expires))
        #expect(
            TokenRefreshPolicy.needsRefresh(obtainedAt: start, expiresAt: expires, now: expires.addingTimeInterval(1))
        )
        // A token stored with an expiry before it was obtained (a clock jump) is refreshed at once.
        #expect(TokenRefreshPolicy.needsRefresh(obtainedAt: start, expiresAt: start.addingTimeInterval(-1), now: start))
    }

    @Test func refreshesNeverComeMoreOftenThanTwicePerLifetime() {
        for lifetime in stride(from: 1.0, through: 200_000, by: 997) {
            let refreshAt = TokenRefreshPolicy.refreshAt(
                obtainedAt: start,
                expiresAt: start.addingTimeInterval(lifetime)
            )
            #expect(refreshAt.timeIntervalSince(start) >= lifetime / 2)
            #expect(refreshAt.timeIntervalSince(start) < lifetime)
        }
    }
}
