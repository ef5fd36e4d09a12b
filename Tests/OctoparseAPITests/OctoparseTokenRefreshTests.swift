import Foundation
import HarvestCore
import HarvestEngine
import HarvestSimulator
import OctoparseAPI
import Testing

@Suite struct OctoparseTokenRefreshTests {
    /// Tokens the server really drops after a few seconds, used for ten seconds of calls: no call ever
    /// carries an expired token, because every refresh comes before expiry.
    ///
    /// With a lifetime of a few seconds, ``TokenRefreshPolicy`` refreshes at half the lifetime (its
    /// 5-minute floor is capped at half), so grants come about twice per lifetime here; the
    /// 1.2-per-lifetime bound of long lifetimes is checked on the manual clock below.
    @Test(.timeLimit(.minutes(1)))
    func callsOverSeveralLifetimesNeverFailAndRefreshesComeBeforeExpiry() async throws {
        let lifetime = 4
        let configuration = octoparseConfiguration {
            $0.forcedTokenExpiry = .seconds(lifetime)
            $0.expiresIn = lifetime
        }
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            defer { withExtendedLifetime(directory) {} }
            let keeper = try makeKeeper(endpoints, directory)
            let client = keeper.client
            let start = ContinuousClock.now
            var calls = 0
            while ContinuousClock.now - start < .seconds(10) {
                _ = try await keeper.withToken { token throws(OctoparseError) in
                    try await client.taskGroups(token: token)
                }
                calls += 1
                // Pacing, not synchronization: a call every 20 ms spreads the calls over each lifetime.
                try await Task.sleep(for: .milliseconds(20))
            }
            let elapsed = (ContinuousClock.now - start).seconds
            // Enough calls to land in every lifetime, even on a loaded machine (about 500 on an idle one).
            #expect(calls > 30)
            #expect(simulator.octoparse.stats.count("401") == 0)
            let grants = grantCount(simulator)
            #expect(grants == (await keeper.grantsObtained))
            #expect(grants >= Int(elapsed / Double(lifetime)) + 1)
            #expect(grants <= Int((elapsed / (Double(lifetime) / 2)).rounded(.up)) + 1)
        }
    }

    /// An hour-long token over ten hours of the fake's clock: refreshed 6 minutes before expiry (10%),
    /// never refused, and at most ceil(1.2 × elapsed / lifetime) + 1 grants.
    @Test func longLivedTokensAreRefreshedOncePerLifetime() async throws {
        let clock = ManualClock()
        let lifetime = 3_600.0
        let configuration = octoparseConfiguration {
            $0.forcedTokenExpiry = .seconds(3_600)
            $0.expiresIn = 3_600
        }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            defer { withExtendedLifetime(directory) {} }
            let keeper = try makeKeeper(endpoints, directory, clock: clock)
            let client = keeper.client
            let elapsed = 36_000.0
            for _ in 0..<Int(elapsed / 60) {
                _ = try await keeper.withToken { token throws(OctoparseError) in
                    try await client.taskGroups(token: token)
                }
                clock.advance(by: 60)
            }
            #expect(simulator.octoparse.stats.count("401") == 0)
            #expect(simulator.octoparse.stats.count("token.password") == 1)
            let grants = grantCount(simulator)
            #expect(grants <= Int((1.2 * elapsed / lifetime).rounded(.up)) + 1)
            #expect(grants >= Int(elapsed / lifetime) + 1)
        }
    }
}
