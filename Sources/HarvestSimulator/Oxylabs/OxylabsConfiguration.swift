/// The knobs of the Oxylabs fake. Defaults follow the real service where it is documented.
public struct OxylabsConfiguration: Sendable, Equatable {
    /// HTTP Basic credentials; the seed documents' sample account.
    public var username = "user"
    public var password = "pass1"
    /// Median time from submission to completion (log-normal distribution).
    public var latencyMedian: Duration = .seconds(3)
    /// Spread of the log-normal latency (sigma of the underlying normal).
    public var latencySigma = 0.5
    /// Share of jobs that end `faulted`.
    public var faultedShare = 0.0
    /// Share of result pages whose target-site status code is 404.
    public var notFoundShare = 0.05
    /// How long a finished job stays reachable; after that every call on its id answers 404.
    public var retention: Duration = .seconds(48 * 3600)
    /// Job submissions accepted per second (a batch counts one per value); beyond it, 429.
    public var submissionsPerSecond = 100
    /// Callback delivery: share of callbacks never sent, share sent twice, attempts for a failing receiver.
    public var callbackLossShare = 0.0
    public var callbackDuplicateShare = 0.0
    public var callbackAttempts = 3
    /// The addresses `GET /v1/info/callbacker_ips` lists.
    public var callbackerIPs = ["127.0.0.1", "::1"]
    /// Faults injected into API requests.
    public var faults = FaultRates.none

    // Readings of what the documents leave open (docs/ARCHITECTURE.md, "Every plausible reading"); the defaults follow recent samples.

    /// Results entries carry no `type` (older published samples).
    public var resultsOmitType = false
    /// Results answers carry no `job` object (older published samples); a faulted job's results still
    /// answer 200 with stub content.
    public var resultsOmitJob = false
    /// How submit answers announce the rate limit, if at all.
    public var rateHeaders = RateHeaderStyle.documented

    public init() {}
}
