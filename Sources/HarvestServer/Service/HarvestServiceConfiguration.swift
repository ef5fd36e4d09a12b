import HarvestEngine
import OctoparseAPI
import OxylabsAPI

/// Everything `harvest serve` needs to know, resolved and checked by the CLI.
public struct HarvestServiceConfiguration: Sendable {
    /// Where the HTTP server listens; port 0 picks a free one.
    public var host = "127.0.0.1"
    public var port = 8080
    /// The URL at which Oxylabs reaches this service; callbacks are asked for only when it is set.
    public var publicURL: String?
    /// Accept callbacks only from Oxylabs' published callbacker addresses.
    public var checkCallbackSender = false
    /// Either account may be nil; a service with neither has nothing to do.
    public var oxylabs: OxylabsAccount?
    public var octoparse: OctoparseAccount?
    public var pipeline = OxylabsPipelineConfiguration()
    public var sync = OctoparseSyncConfiguration()
    /// On the first SIGTERM or SIGINT, how long requests in flight may take before they are cancelled.
    public var shutdownGrace: Duration = .seconds(30)
    /// `/readyz` turns unready once a provider has refused every request with 429 for this long.
    public var stallAfter: Duration = .seconds(300)
    /// End once nothing can move (no open job, every task caught up) instead of waiting for a signal.
    public var untilIdle = false
    /// The bearer token of the admin API (`/admin/…`); nil leaves those routes out.
    public var adminToken: String?
    /// What `GET /metrics` serves; nil leaves the route out.
    public var metrics: MetricsExposition?

    public init() {}
}
