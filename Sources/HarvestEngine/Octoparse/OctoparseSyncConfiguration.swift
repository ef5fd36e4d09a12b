import HarvestCore

/// The knobs of the Octoparse syncer. Every one has a default that suits a production account.
public struct OctoparseSyncConfiguration: Sendable, Equatable {
    /// Rows are committed upstream a little after their storage time: a window is read only once its end
    /// is this far in the past, and the cursor never passes a younger window.
    public var safetyLag: Duration = .seconds(120)
    /// Complete windows that ended within this period are re-checked for rows committed late.
    public var lookBack: Duration = .seconds(3_600)
    /// Rows per request (the API allows 1 to 1,000).
    public var pageSize = 1_000
    /// Requests per second per account (no limit is documented; the newer API allows 20/s).
    public var requestsPerSecond = 20.0
    /// Pages of a task requested while the page before them commits: fetching and decoding overlap the
    /// writes.
    public var pagesAhead = 2
    /// Tasks synced at once.
    public var concurrency = 4
    /// How long a claimed task stays reserved for this process; renewed while its sync runs.
    public var lease: Duration = .seconds(120)
    /// The zone of the account's storage times (`OCTOPARSE_TIMEZONE`).
    public var zone = UTCOffset.octoparseDefault
    /// How windows are sized.
    public var sizing = WindowSizing()
    /// Retries of one request after a transient failure (5xx, reset, malformed answer) before the sync
    /// ends with the error and the task is tried again later.
    public var attemptsPerRequest = 6
    public var retryBackoff = Backoff(base: .milliseconds(200), cap: .seconds(10))
    /// Delay before a task whose sync ended with an error is tried again.
    public var errorDelay: Duration = .seconds(30)
    /// Longest sleep of an idle syncer before it looks at the database again.
    public var idlePoll: Duration = .milliseconds(250)

    public init() {}
}
