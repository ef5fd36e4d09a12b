import Foundation

/// Capped exponential backoff with jitter, for retrying after errors.
///
/// Jitter spreads retries of many jobs (or processes) that failed together, so they do not return to
/// the upstream in one burst.
public struct Backoff: Sendable, Equatable {
    /// The delay after the first failure.
    public var base: Duration
    /// The longest delay.
    public var cap: Duration
    /// Each delay is multiplied by a random factor in `1 ± jitter`.
    public var jitter: Double

    public init(base: Duration, cap: Duration, jitter: Double = 0.2) {
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay before retry number `attempt` (1 for the first retry).
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let exponent = Double(min(max(attempt - 1, 0), 40))
        let raw = min(base.seconds * Foundation.pow(2, exponent), cap.seconds)
        let factor = 1 + Double.random(in: -jitter...jitter, using: &random)
        return .milliseconds(Int64((max(0, raw * factor) * 1000).rounded()))
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
