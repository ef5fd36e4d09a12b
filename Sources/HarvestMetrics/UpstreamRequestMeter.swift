/// Times one upstream request and records it once it ends, whichever way it ends.
///
/// ```swift
/// let meter = UpstreamRequestMeter(provider: .oxylabs, endpoint: UpstreamEndpoint.oxylabs(path: path))
/// var status: Int?
/// defer { meter.finish(status: status) }
/// let response = try await http.execute(request, timeout: timeout)
/// status = Int(response.status.code)
/// ```
public struct UpstreamRequestMeter: Sendable {
    public let provider: UpstreamProvider
    public let endpoint: String
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    public init(provider: UpstreamProvider, endpoint: String) {
        self.provider = provider
        self.endpoint = endpoint
        start = clock.now
    }

    /// Records the request with the status it got (`nil`: no answer) and the time since ``init(provider:endpoint:)``.
    public func finish(status: Int?) {
        HarvestMetrics.recordUpstreamRequest(
            provider: provider,
            endpoint: endpoint,
            status: status,
            duration: start.duration(to: clock.now)
        )
    }
}
