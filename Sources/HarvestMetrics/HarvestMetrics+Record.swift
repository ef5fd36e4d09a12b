import Metrics

/// The recording calls, one per metric, made where the work happens.
///
/// Each call asks the bootstrapped factory for its handler (Prometheus returns the existing series for the
/// same name and labels), so nothing is cached in a global created before `MetricsSystem.bootstrap`.
extension HarvestMetrics {
    /// Registers the counters without labels at zero, so that a scrape before any work shows 0 rather than
    /// nothing (an absent series makes `rate()` and alerts on it silently empty). Call after bootstrapping.
    public static func registerCounters() {
        for name in [Name.submissions, Name.polls, Name.resultBytes, Name.scrapeErrors] {
            Counter(label: name).increment(by: 0)
        }
    }

    /// Jobs Oxylabs accepted in one submit answer.
    public static func recordSubmissions(_ jobs: Int) {
        guard jobs > 0 else { return }
        Counter(label: Name.submissions).increment(by: jobs)
    }

    /// One status poll of a pending job.
    public static func recordPoll() {
        Counter(label: Name.polls).increment()
    }

    /// Result content newly stored.
    public static func recordResultBytes(_ bytes: Int) {
        guard bytes > 0 else { return }
        Counter(label: Name.resultBytes).increment(by: bytes)
    }

    /// One finished upstream request: counted by status (`nil` for a transport failure) and timed.
    public static func recordUpstreamRequest(
        provider: UpstreamProvider,
        endpoint: String,
        status: Int?,
        duration: Duration
    ) {
        Counter(
            label: Name.upstreamRequests,
            dimensions: [
                (Label.provider, provider.rawValue), (Label.endpoint, endpoint),
                (Label.status, UpstreamEndpoint.statusLabel(status)),
            ]
        ).increment()
        Timer(
            label: Name.upstreamRequestDuration,
            dimensions: [(Label.provider, provider.rawValue), (Label.endpoint, endpoint)]
        ).record(duration: duration)
    }

    /// An access token obtained; `kind` is the grant (`password` or `refresh`).
    public static func recordTokenRefresh(provider: UpstreamProvider, kind: String) {
        Counter(label: Name.tokenRefreshes, dimensions: [(Label.provider, provider.rawValue), (Label.kind, kind)])
            .increment()
    }

    /// Rows of an Octoparse task newly stored (rows already there do not count).
    public static func recordRowsIngested(task: String, rows: Int) {
        guard rows > 0 else { return }
        Counter(label: Name.taskRowsIngested, dimensions: [(Label.task, task)]).increment(by: rows)
    }

    /// One Oxylabs callback received.
    public static func recordCallback(_ outcome: CallbackOutcome) {
        Counter(label: Name.callbackDeliveries, dimensions: [(Label.outcome, outcome.rawValue)]).increment()
    }

    /// A scrape that could not read the database gauges.
    public static func recordScrapeError() {
        Counter(label: Name.scrapeErrors).increment()
    }

    /// Sets the Oxylabs submissions per second in use (the announced limit, or the probed rate).
    public static func setSubmissionRate(_ perSecond: Double) {
        Gauge(label: Name.submissionRate).record(perSecond)
    }

    /// Sets the number of jobs in `status` (read from the database at scrape time).
    public static func setJobs(status: String, count: Int) {
        Gauge(label: Name.jobs, dimensions: [(Label.status, status)]).record(count)
    }

    /// Sets how far the task's cursor is behind now, in seconds.
    public static func setCursorLag(task: String, seconds: Double) {
        Gauge(label: Name.taskCursorLag, dimensions: [(Label.task, task)]).record(seconds)
    }

    /// Drops the task's cursor lag series (the task is no longer harvested), so it does not linger.
    public static func removeCursorLag(task: String) {
        Gauge(label: Name.taskCursorLag, dimensions: [(Label.task, task)]).destroy()
    }

    /// Sets how far the account's storage times seem to run from the configured zone, in seconds.
    public static func setZoneSkew(account: String, seconds: Int) {
        Gauge(label: Name.octoparseZoneSkew, dimensions: [(Label.account, account)]).record(seconds)
    }
}
