/// The names and labels of every metric Harvest emits, in one place so that no other file spells them.
///
/// Libraries record through the functions in `HarvestMetrics+Record.swift` and depend on swift-metrics only;
/// `harvest serve` bootstraps the Prometheus backend and serves `GET /metrics`. Until then (in other commands,
/// and in tests that do not bootstrap) every recording goes to swift-metrics' no-op handler.
///
/// Names follow Prometheus conventions: a `harvest_` prefix, `_total` on counters, base units (seconds,
/// bytes). Label values come from small fixed sets or from ids the user registered (task ids): never
/// URLs, job ids or anything secret, which would make a time series per request or leak credentials.
public enum HarvestMetrics {
    /// Metric names.
    public enum Name {
        /// Gauge: jobs by `status`, read from the database at scrape time.
        public static let jobs = "harvest_jobs"
        /// Counter: jobs Oxylabs accepted on submit (each job of a batch counts).
        public static let submissions = "harvest_submissions_total"
        /// Counter: status polls of pending jobs.
        public static let polls = "harvest_polls_total"
        /// Counter: bytes of result content newly stored.
        public static let resultBytes = "harvest_result_bytes_total"
        /// Counter: HTTP requests to an upstream, by `provider`, `endpoint` and `status`.
        public static let upstreamRequests = "harvest_upstream_requests_total"
        /// Histogram: seconds from sending an upstream request to having its whole answer, by `provider`
        /// and `endpoint`.
        public static let upstreamRequestDuration = "harvest_upstream_request_duration_seconds"
        /// Counter: access tokens obtained, by `provider` and `kind` of grant.
        public static let tokenRefreshes = "harvest_token_refreshes_total"
        /// Counter: Octoparse rows newly stored, by `task`.
        public static let taskRowsIngested = "harvest_task_rows_ingested_total"
        /// Gauge: seconds between now and the task's storage-time cursor, by `task`, at scrape time.
        public static let taskCursorLag = "harvest_task_cursor_lag_seconds"
        /// Counter: Oxylabs callbacks received, by `outcome`.
        public static let callbackDeliveries = "harvest_callback_deliveries_total"
        /// Gauge: seconds an Octoparse account's storage times seem to run ahead of `OCTOPARSE_TIMEZONE`
        /// (negative: behind), by `account` (username), at scrape time; absent while nothing looked wrong.
        public static let octoparseZoneSkew = "harvest_octoparse_zone_skew_seconds"
        /// Gauge: the Oxylabs submissions per second this process allows itself (announced or probed).
        public static let submissionRate = "harvest_submission_rate"
        /// Counter: scrapes whose database gauges could not be read (they kept their previous values).
        public static let scrapeErrors = "harvest_metrics_scrape_errors_total"
    }

    /// Label names.
    public enum Label {
        public static let status = "status"
        public static let provider = "provider"
        public static let endpoint = "endpoint"
        public static let kind = "kind"
        public static let task = "task"
        public static let outcome = "outcome"
        public static let account = "account"
    }

    /// Buckets of ``Name/upstreamRequestDuration``: loopback answers take milliseconds, a large results
    /// page seconds, and requests time out at 60 s.
    public static let upstreamDurationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]
}

/// The upstream API a request goes to: the `provider` label.
public enum UpstreamProvider: String, Sendable, CaseIterable {
    case oxylabs
    case octoparse
}

/// What became of an Oxylabs callback: the `outcome` label of ``HarvestMetrics/Name/callbackDeliveries``.
public enum CallbackOutcome: String, Sendable, CaseIterable {
    /// A pending job of ours: the fetcher was woken.
    case accepted
    /// Well-formed, but for a job unknown or no longer pending (duplicates, late callbacks).
    case ignored
    /// The secret in the URL was wrong (404).
    case badSecret = "bad_secret"
    /// The sender is not one of Oxylabs' callbacker IPs (403).
    case forbiddenSender = "forbidden_sender"
    /// The body was larger than allowed (413).
    case tooLarge = "too_large"
    /// The body was not an Oxylabs job object (400).
    case malformed
}
