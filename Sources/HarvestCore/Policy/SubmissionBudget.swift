import Foundation

/// Keeps submissions under the per-second limit Oxylabs announces in its `x-ratelimit-*` headers.
///
/// A token bucket: it holds at most `limit` submissions and refills at `limit` per second. The limit is
/// learned from each answer (it differs by plan: 10/s on a trial, 50 or 100/s paid). A 429 empties the
/// bucket and holds submissions back for a jittered, growing pause, since Oxylabs sends no `Retry-After`.
public struct SubmissionBudget: Sendable, Equatable {
    /// Submissions per second.
    public private(set) var limit: Double
    private var tokens: Double
    private var updatedAt: Date
    private var blockedUntil: Date?
    private var consecutiveRefusals = 0

    /// - Parameter limit: the limit before Oxylabs has announced one.
    public init(limit: Double, now: Date) {
        self.limit = max(limit, 0.1)
        tokens = self.limit
        updatedAt = now
    }

    /// How many jobs may be submitted now, up to `wanted`; they are taken from the budget.
    public mutating func take(upTo wanted: Int, now: Date) -> Int {
        refill(now)
        if let blockedUntil, now < blockedUntil { return 0 }
        let granted = min(wanted, Int(tokens.rounded(.down)))
        tokens -= Double(granted)
        return max(granted, 0)
    }

    /// Gives back jobs taken but not sent.
    public mutating func giveBack(_ count: Int) {
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

    /// Learns from an accepted submission's headers.
    public mutating func observe(limit announced: Int, remaining: Int, now: Date) {
        refill(now)
        consecutiveRefusals = 0
        if announced > 0 { limit = Double(announced) }
        tokens = min(tokens, Double(max(remaining, 0)), limit)
    }

    /// A 429: empty the bucket and pause, longer for each refusal in a row; returns the pause's end.
    @discardableResult
    public mutating func refused(now: Date, backoff: Backoff, using random: inout some RandomNumberGenerator) -> Date {
        refill(now)
        consecutiveRefusals += 1
        tokens = 0
        let until = now.addingTimeInterval(backoff.delay(attempt: consecutiveRefusals, using: &random).seconds)
        blockedUntil = until
        return until
    }

    private mutating func refill(_ now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(limit, tokens + elapsed * limit)
        updatedAt = now
    }
}
