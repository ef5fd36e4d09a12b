import HarvestCore

/// The knobs of the Oxylabs pipeline. Every one has a default that suits a production account.
public struct OxylabsPipelineConfiguration: Sendable, Equatable {
    /// Requests in flight at once, per worker.
    public var submitConcurrency = 4
    public var pollConcurrency = 32
    public var fetchConcurrency = 8
    /// How long a claimed job stays reserved for this process; an expired lease (a crashed process) is
    /// taken over. Must exceed the request timeout.
    public var lease: Duration = .seconds(120)
    /// Timeout of one Oxylabs request.
    public var requestTimeout: Duration = .seconds(60)
    /// Submissions per second until Oxylabs announces its limit.
    public var initialSubmissionsPerSecond = 10.0
    /// When to poll pending jobs.
    public var pollSchedule = PollSchedule()
    /// Retries after transient errors (5xx, resets, timeouts, malformed answers).
    public var errorBackoff = Backoff(base: .seconds(1), cap: .seconds(120))
    /// Pause after a 429 (Oxylabs sends no Retry-After).
    public var rateLimitBackoff = Backoff(base: .seconds(1), cap: .seconds(30))
    /// Consecutive transient errors on one job before it fails.
    public var maximumErrors = 12
    /// Times a faulted job is submitted again (faulted jobs are free) before it ends `faulted`.
    public var maximumResubmissions = 3
    /// A job still pending this long after submission fails: Oxylabs keeps results only 24 h.
    public var pendingDeadline: Duration = .seconds(6 * 3600)
    /// Longest sleep of an idle worker before it looks at the database again (other processes enqueue).
    public var idlePoll: Duration = .milliseconds(250)
    /// The callback URL sent with each job, when the service has a public URL.
    public var callbackURL: String?

    public init() {}
}
