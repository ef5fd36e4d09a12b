import HarvestMetrics
import Metrics
import MetricsTestKit
import Testing

/// What the recording calls hand to the bootstrapped backend (here swift-metrics' test backend, bound to
/// the test's task so that tests running in parallel do not see each other's metrics).
@Suite struct RecordingTests {
    @Test func anUpstreamRequestIsCountedByStatusAndTimedByEndpoint() throws {
        let metrics = TestMetrics()
        withMetricsFactory(metrics) {
            HarvestMetrics.recordUpstreamRequest(
                provider: .oxylabs,
                endpoint: "status",
                status: 200,
                duration: .milliseconds(30)
            )
            HarvestMetrics.recordUpstreamRequest(
                provider: .oxylabs,
                endpoint: "status",
                status: nil,
                duration: .seconds(2)
            )
        }
        let requests = HarvestMetrics.Name.upstreamRequests
        #expect(
            metrics.counterTotal(
                label: requests,
                dimensions: [("provider", "oxylabs"), ("endpoint", "status"), ("status", "200")]
            ) == 1
        )
        #expect(
            metrics.counterTotal(
                label: requests,
                dimensions: [("provider", "oxylabs"), ("endpoint", "status"), ("status", "error")]
            ) == 1
        )
        let timer = try metrics.expectTimer(
            HarvestMetrics.Name.upstreamRequestDuration,
            [("provider", "oxylabs"), ("endpoint", "status")]
        )
        #expect(timer.values == [30_000_000, 2_000_000_000])
    }

    @Test func aMeterRecordsOnceWithTheStatusItWasGiven() async throws {
        let metrics = TestMetrics()
        await withMetricsFactory(metrics) {
            let meter = UpstreamRequestMeter(provider: .octoparse, endpoint: "token")
            try? await Task.sleep(for: .milliseconds(5))
            meter.finish(status: 401)
        }
        #expect(
            metrics.counterTotal(
                label: HarvestMetrics.Name.upstreamRequests,
                dimensions: [("provider", "octoparse"), ("endpoint", "token"), ("status", "401")]
            ) == 1
        )
        let timer = try metrics.expectTimer(
            HarvestMetrics.Name.upstreamRequestDuration,
            [("provider", "octoparse"), ("endpoint", "token")]
        )
        #expect(timer.values.count == 1)
        #expect(timer.values[0] >= 5_000_000)
    }

    @Test func nothingIsRecordedForZeroWork() {
        let metrics = TestMetrics()
        withMetricsFactory(metrics) {
            HarvestMetrics.recordSubmissions(0)
            HarvestMetrics.recordResultBytes(0)
            HarvestMetrics.recordRowsIngested(task: "t", rows: 0)
        }
        #expect(metrics.counters.isEmpty)
    }

    @Test func registeredCountersStartAtZero() {
        let metrics = TestMetrics()
        withMetricsFactory(metrics) { HarvestMetrics.registerCounters() }
        let names = Set(metrics.counters.map(\.label))
        #expect(
            names == [
                HarvestMetrics.Name.submissions, HarvestMetrics.Name.polls, HarvestMetrics.Name.resultBytes,
                HarvestMetrics.Name.scrapeErrors,
            ]
        )
        #expect(metrics.counters.allSatisfy { $0.totalValue == 0 })
    }
}
