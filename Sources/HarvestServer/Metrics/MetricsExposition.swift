/// The metrics backend's text rendering, handed to ``HarvestHTTPServer`` by the executable that bootstrapped
/// it, so that this library depends on swift-metrics only and not on a particular backend.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
/// let exposition = MetricsExposition { registry.emitToBuffer() }
/// ```
public struct MetricsExposition: Sendable {
    /// The Prometheus text exposition format, version 0.0.4.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    let contentType: String
    let render: @Sendable () -> [UInt8]

    /// - Parameter render: every registered metric, in the format `contentType` names.
    public init(contentType: String = Self.prometheusContentType, render: @escaping @Sendable () -> [UInt8]) {
        self.contentType = contentType
        self.render = render
    }
}
