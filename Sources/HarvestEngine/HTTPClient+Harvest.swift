import AsyncHTTPClient

extension HTTPClient {
    /// The client every upstream request of Harvest goes through, sized for concurrent requests
    /// (AsyncHTTPClient allows 8 connections per host by default; the pollers keep 32 in flight).
    ///
    /// - Parameter retryingConnections: whether a failed connection attempt is tried again until the
    ///   request's deadline (AsyncHTTPClient's default). The one-shot commands pass false: their requests
    ///   are retried with backoff anyway, and a wrong scheme or port should be reported in seconds, not
    ///   after every deadline.
    public static func harvest(retryingConnections: Bool = true) -> HTTPClient {
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 64
        )
        pool.retryConnectionEstablishment = retryingConnections
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: pool))
    }
}
