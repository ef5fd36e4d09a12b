import Foundation

/// When to poll a pending Oxylabs job: first near its expected completion, then capped exponential
/// backoff with jitter.
///
/// The defaults were chosen by simulating log-normal latencies (median 3 s, sigma 0.5): polling first at
/// the model's z = 0.5 quantile (about the 69th percentile) and then at ×1.4 intervals costs about 1.47
/// polls per job for a mean detection delay of about 1.3 s — where a fixed 5 s poller, as in Oxylabs'
/// examples, costs about 2.1 polls and over 2 s.
public struct PollSchedule: Sendable, Equatable {
    /// The first poll's quantile of the latency model, as a z-score.
    public var firstPollZ = 0.5
    /// The same when callbacks are expected: polling is then only the fallback for a callback that never
    /// comes, so the first poll waits until almost every job (z = 2.5: 99.4%) should have called back,
    /// plus ``callbackGrace`` for the callback's own delivery.
    public var callbackFallbackZ = 2.5
    public var callbackGrace: Duration = .seconds(5)
    /// Each later poll waits this factor times the time elapsed since submission, minus that time.
    public var growth = 1.4
    /// The shortest and longest gap between two polls.
    public var minimumGap: Duration = .milliseconds(250)
    public var maximumGap: Duration = .seconds(60)
    /// Each gap is multiplied by a random factor in `1 ± jitter`.
    public var jitter = 0.1
    /// When set, poll right after submission and then at this fixed interval instead (what Oxylabs'
    /// examples and SDK do); kept as a baseline for benchmarks.
    public var fixedInterval: Duration?

    public init() {}

    /// The delay from submission to the first poll.
    public func firstPoll(
        model: LatencyModel,
        expectingCallback: Bool = false,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        if fixedInterval != nil { return .zero }
        let seconds =
            expectingCallback
            ? model.latency(atZ: callbackFallbackZ) + callbackGrace.seconds
            : max(model.latency(atZ: firstPollZ), minimumGap.seconds)
        return .milliseconds(Int64((jittered(seconds, &random) * 1000).rounded()))
    }

    /// The delay before the next poll of a job still pending `elapsed` after submission.
    public func nextPoll(elapsed: Duration, using random: inout some RandomNumberGenerator) -> Duration {
        if let fixedInterval { return fixedInterval }
        let gap = min(max(elapsed.seconds * (growth - 1), minimumGap.seconds), maximumGap.seconds)
        return .milliseconds(Int64((jittered(gap, &random) * 1000).rounded()))
    }

    private func jittered(_ seconds: Double, _ random: inout some RandomNumberGenerator) -> Double {
        seconds * (1 + Double.random(in: -jitter...jitter, using: &random))
    }
}
