import HarvestMetrics
import HarvestServer
import Metrics
import Prometheus

/// The Prometheus backend of `harvest serve`'s metrics: the one place that knows swift-prometheus.
enum PrometheusMetrics {
    /// Bootstraps swift-metrics with a Prometheus registry (once per process, as swift-metrics requires)
    /// and returns the rendering `GET /metrics` serves.
    static func bootstrap() -> MetricsExposition { exposition }

    private static let exposition: MetricsExposition = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[HarvestMetrics.Name.upstreamRequestDuration] =
            HarvestMetrics.upstreamDurationBuckets
        MetricsSystem.bootstrap(factory)
        HarvestMetrics.registerCounters()
        return MetricsExposition { registry.emitToBuffer() }
    }()
}
