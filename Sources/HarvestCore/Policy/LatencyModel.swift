import Foundation

/// What Harvest has learned about how long Oxylabs takes to finish jobs of one source: a log-normal
/// fitted to the most recent observed latencies.
///
/// Job latencies are roughly log-normal (a long right tail), so the model keeps the mean and spread of
/// their logarithms. Until enough jobs of a source have finished it uses ``prior``.
public struct LatencyModel: Sendable, Equatable {
    /// Used before `minimumSamples` latencies are known: median 5 s (Oxylabs' own examples poll every
    /// 5 s), a wide spread.
    public static let prior = LatencyModel(median: 5, sigma: 0.6)

    /// The median latency, in seconds.
    public var median: Double
    /// The standard deviation of the latency's logarithm.
    public var sigma: Double

    public init(median: Double, sigma: Double) {
        self.median = median
        self.sigma = sigma
    }

    /// The latency below which a share `quantile` of jobs finish (z-score form: 0 is the median).
    public func latency(atZ z: Double) -> Double {
        median * Foundation.exp(sigma * z)
    }
}

/// A rolling window of observed latencies per source, from which ``LatencyModel``s are fitted.
public struct LatencyHistory: Sendable {
    /// Latencies kept per source.
    public let capacity: Int
    /// Samples needed before the fitted model replaces the prior.
    public let minimumSamples: Int
    private var samples: [String: [Double]] = [:]
    private var next: [String: Int] = [:]

    public init(capacity: Int = 200, minimumSamples: Int = 5) {
        self.capacity = capacity
        self.minimumSamples = minimumSamples
    }

    /// Records that a job of `source` took `seconds` from submission to completion. Returns true when
    /// this sample made the fitted model replace the prior (jobs scheduled with the prior can then be
    /// rescheduled).
    @discardableResult
    public mutating func record(source: String, seconds: Double) -> Bool {
        guard seconds.isFinite, seconds > 0 else { return false }
        let value = max(seconds, 0.05)
        if samples[source, default: []].count < capacity {
            samples[source, default: []].append(value)
        } else {
            let index = next[source, default: 0]
            samples[source]![index] = value
            next[source] = (index + 1) % capacity
        }
        return samples[source]?.count == minimumSamples
    }

    /// The model for `source`: fitted when there are enough samples, the prior otherwise.
    public func model(for source: String) -> LatencyModel {
        guard let values = samples[source], values.count >= minimumSamples else { return .prior }
        let logs = values.map { Foundation.log($0) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(logs.count - 1, 1))
        // A floor on the spread: a run of identical latencies must not make the schedule brittle.
        return LatencyModel(median: Foundation.exp(mean), sigma: min(max(variance.squareRoot(), 0.15), 1.5))
    }

    /// The number of samples held for `source`.
    public func count(for source: String) -> Int {
        samples[source]?.count ?? 0
    }
}

/// Estimates when a job really finished from what Harvest saw of it.
public enum LatencyObservation {
    /// The job's latency in seconds, from the tightest bounds available.
    ///
    /// - Parameters:
    ///   - submittedAt: when the submit request was sent (local clock).
    ///   - lastPendingAt: the last time a poll still saw it pending, if any (local clock).
    ///   - seenDoneAt: when Harvest learned it was finished (a poll, or a callback's arrival).
    ///   - remoteCreatedAt, remoteFinishedAt: Oxylabs' `created_at` and final `updated_at` (its clock,
    ///     whole seconds), whose difference is the latency within a second either way.
    public static func latency(
        submittedAt: Date,
        lastPendingAt: Date?,
        seenDoneAt: Date,
        remoteCreatedAt: Date?,
        remoteFinishedAt: Date?
    ) -> Double {
        var lower = max(0, (lastPendingAt ?? submittedAt).timeIntervalSince(submittedAt))
        var upper = max(lower, seenDoneAt.timeIntervalSince(submittedAt))
        if let created = remoteCreatedAt, let finished = remoteFinishedAt {
            let remote = finished.timeIntervalSince(created)
            let remoteLower = remote - 1
            let remoteUpper = remote + 1
            if remoteLower <= upper, remoteUpper >= lower {
                lower = max(lower, remoteLower)
                upper = min(upper, remoteUpper)
            }
        }
        return (lower + upper) / 2
    }
}
