import AsyncHTTPClient

extension HTTPClient {
    /// The client every upstream request of Harvest goes through, sized for concurrent requests
    /// (AsyncHTTPClient allows 8 connections per host by default; the pollers keep 32 in flight).
    public static func harvest() -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
            )
        )
    }
}
