import HarvestCore
import Testing

/// Rate headers under every naming a server plausibly uses; without them, no limit (Harvest probes).
@Suite struct RateLimitStatusTests {
    @Test(arguments: [
        (
            [("x-ratelimit-jobs-limit", "100"), ("x-ratelimit-jobs-remaining", "42")],
            RateLimitStatus(limit: 100, remaining: 42)
        ),
        ([("X-RateLimit-Limit", "50"), ("X-RateLimit-Remaining", "7")], RateLimitStatus(limit: 50, remaining: 7)),
        ([("x-rate-limit-limit", "10"), ("x-rate-limit-remaining", "0")], RateLimitStatus(limit: 10, remaining: 0)),
        ([("RateLimit-Limit", "100"), ("RateLimit-Remaining", "99")], RateLimitStatus(limit: 100, remaining: 99)),
        (
            [("RateLimit-Limit", "100, 100;w=1"), ("RateLimit-Remaining", "3")],
            RateLimitStatus(limit: 100, remaining: 3)
        ),
        ([("RateLimit-Limit", "6000;w=60")], RateLimitStatus(limit: 100, remaining: nil)),
        (
            [
                ("x-ratelimit-jobs-limit", "100"), ("x-ratelimit-jobs-remaining", "80"),
                ("x-ratelimit-render-limit", "20"), ("x-ratelimit-render-remaining", "5"),
            ],
            RateLimitStatus(limit: 20, remaining: 5)
        ),
    ])
    func readsTheAnnouncedLimit(headers: [(String, String)], expected: RateLimitStatus) {
        #expect(RateLimitStatus.read(headers.map { (name: $0.0, value: $0.1) }) == expected)
    }

    @Test(arguments: [
        [(String, String)](),
        [("x-quota-jobs-per-second", "100"), ("x-quota-jobs-left", "3")],
        [("x-ratelimit-jobs-remaining", "3")],
        [("x-ratelimit-jobs-limit", "lots")],
        [("x-ratelimit-jobs-limit", "0")],
        [("x-ratelimit-jobs-limit", "99999999999999999999")],
        [("content-type", "application/json")],
    ])
    func withoutAReadableLimitThereIsNone(headers: [(String, String)]) {
        #expect(RateLimitStatus.read(headers.map { (name: $0.0, value: $0.1) }) == nil)
    }
}
