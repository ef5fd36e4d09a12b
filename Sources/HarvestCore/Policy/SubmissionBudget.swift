import Foundation

/// Keeps submissions under a per-second rate: the limit Oxylabs announces in its `x-ratelimit-*` headers,
/// or the one ``SubmissionRate`` probes for when it announces none.
///
/// A token bucket: it holds at most `limit` submissions and refills at `limit` per second. A 429 empties
/// the bucket, cuts the rate and holds submissions back for a jittered pause (without refilling) that grows
/// with each round refused in a row, since Oxylabs sends no `Retry-After`.
public struct SubmissionBudget: Sendable, Equatable {
    /// The rate and what it was learned from.
    public private(set) var rate: SubmissionRate
    private var tokens: Double
    private var updatedAt: Date
    private var blockedUntil: Date?
    private var consecutiveRefusals = 0
    /// Whether the last grant was used whole: demand met the rate, so a higher one would be used.
    private var saturated = false

    /// - Parameter limit: the rate before Oxylabs has announced one, or before probing raised it.
    public init(limit: Double, now: Date, tuning: SubmissionRate.Tuning = SubmissionRate.Tuning()) {
        let limit = max(limit, 0.1)
        var tuning = tuning
        tuning.minimum = min(tuning.minimum, limit)
        tuning.maximum = max(tuning.maximum, limit)
        rate = SubmissionRate(initial: limit, tuning: tuning)
        tokens = rate.current
        updatedAt = now
    }

    /// Submissions per second.
    public var limit: Double { rate.current }

    /// How many jobs may be submitted now, up to `wanted`; they are taken from the budget.
    public mutating func take(upTo wanted: Int, now: Date) -> Int {
        refill(now)
        if let blockedUntil, now < blockedUntil { return 0 }
        let granted = min(wanted, Int(tokens.rounded(.down)))
        tokens -= Double(granted)
        return max(granted, 0)
    }

    /// Gives back jobs taken but not sent (none: the grant was used whole).
    public mutating func giveBack(_ count: Int) {
        saturated = count == 0
        tokens = min(limit, tokens + Double(count))
    }

    /// When at least one submission will be allowed.
    public func nextAllowance(now: Date) -> Date {
        var copy = self
        copy.refill(now)
        let unblocked = max(now, copy.blockedUntil ?? now)
        if copy.tokens >= 1 { return unblocked }
        return max(unblocked, now.addingTimeInterval((1 - copy.tokens) / limit))
    }

    /// Oxylabs accepted `jobs`; its answer announced `limit` with `remaining` left, or nothing (nil).
    public mutating func accepted(jobs: Int, limit announced: Int?, remaining: Int?, now: Date) {
        refill(now)
        consecutiveRefusals = 0
        if let announced { rate.announce(announced) }
        rate.accepted(jobs: jobs, saturated: saturated)
        tokens = min(tokens, limit)
        if let remaining { tokens = min(tokens, Double(max(remaining, 0))) }
    }

    /// A 429 to a request sent at `sentAt`: empty the bucket, cut the rate and pause, longer for each round
    /// refused in a row; returns the pause's end. Refusals of requests sent before the last one came
    /// belong to its round: they neither cut again nor lengthen the pause.
    @discardableResult
    public mutating func refused(
        sentAt: Date,
        now: Date,
        backoff: Backoff,
        using random: inout some RandomNumberGenerator
    ) -> Date {
        refill(now)
        tokens = 0
        guard rate.refused(sentAt: sentAt, now: now) else { return max(now, blockedUntil ?? now) }
        consecutiveRefusals += 1
        let until = now.addingTimeInterval(backoff.delay(attempt: consecutiveRefusals, using: &random).seconds)
        blockedUntil = until
        return until
    }

    /// Refills for the time since the last call, but not during a pause: a 429 says "slower", and a bucket
    /// filled while paused would answer it with a burst.
    private mutating func refill(_ now: Date) {
        let elapsed = max(0, now.timeIntervalSince(max(updatedAt, blockedUntil ?? updatedAt)))
        tokens = min(limit, tokens + elapsed * limit)
        updatedAt = now
    }
}
