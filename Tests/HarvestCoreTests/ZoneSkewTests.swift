import HarvestCore
import Testing

/// Signs that OCTOPARSE_TIMEZONE is not the server's zone, and the fix they point to.
struct ZoneSkewTests {
    @Test func rowsStoredInTheFutureSayTheServerIsAhead() throws {
        // Configured UTC, server in China: rows are stored up to 8 h "ahead" (a few seconds off).
        let skew = try #require(ZoneSkew.fromFutureRows(ahead: 8 * 3600 - 7))
        #expect(skew.seconds == 8 * 3600)
        #expect(skew.probableZone(configured: .utc) == .octoparseDefault)
        #expect(
            skew.message(configured: .utc)
                == "storage times run about 8h 0m ahead of +00:00 (rows are stored up to 7h 59m ahead of now): "
                + "the server's zone is probably +08:00; set OCTOPARSE_TIMEZONE=+08:00"
        )
    }

    @Test func rowsThatAppearLongAfterTheirTimeSayTheServerIsBehind() throws {
        // Configured +08:00 (the default), server in UTC: rows appear 8 h after their storage time.
        let skew = try #require(ZoneSkew.fromLateRows(delay: 8 * 3600 + 240))
        #expect(skew.seconds == -8 * 3600)
        #expect(skew.probableZone(configured: .octoparseDefault) == .utc)
        #expect(skew.message(configured: .octoparseDefault).hasSuffix("set OCTOPARSE_TIMEZONE=+00:00"))
        // India against Nepal: a quarter hour apart, as zones go (rounded to the nearest quarter).
        #expect(ZoneSkew.fromLateRows(delay: 5 * 3600 + 45 * 60 + 100)?.seconds == -(5 * 3600 + 45 * 60))
    }

    @Test func ordinaryLateCommitsAndClockSkewSayNothing() {
        #expect(ZoneSkew.fromLateRows(delay: 120) == nil)
        #expect(ZoneSkew.fromLateRows(delay: ZoneSkew.threshold - 1) == nil)
        #expect(ZoneSkew.fromFutureRows(ahead: 90) == nil)
    }

    @Test func theGuardCoversEveryZoneDifference() {
        // UTC-12 to UTC+14.
        #expect(ZoneSkew.guardPeriod >= 26 * 3600)
    }
}
