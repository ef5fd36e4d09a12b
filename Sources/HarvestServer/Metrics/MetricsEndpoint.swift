import Foundation
import HarvestMetrics
import HarvestStore
import Hummingbird
import Synchronization

/// `GET /metrics`: refreshes the gauges read from the database, then answers with the backend's rendering.
final class MetricsEndpoint: Sendable {
    let database: HarvestDatabase
    let exposition: MetricsExposition
    let now: @Sendable () -> Date
    /// Tasks whose cursor lag was last reported, so that a task no longer reported loses its series.
    private let reportedTasks = Mutex<Set<String>>([])

    init(database: HarvestDatabase, exposition: MetricsExposition, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.exposition = exposition
        self.now = now
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/metrics") { [self] _, _ -> Response in
            do {
                try refresh()
            } catch {
                // Counters are still worth scraping; stale gauges are better than none.
                HarvestMetrics.recordScrapeError()
            }
            var headers = HTTPFields()
            headers[.contentType] = exposition.contentType
            return Response(
                status: .ok,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: exposition.render()))
            )
        }
    }

    /// Sets the database gauges to their current values.
    func refresh() throws {
        let gauges = try DatabaseGauges.read(from: database, now: now())
        for (status, count) in gauges.jobs { HarvestMetrics.setJobs(status: status, count: count) }
        for (task, seconds) in gauges.cursorLag { HarvestMetrics.setCursorLag(task: task, seconds: seconds) }
        for (account, seconds) in gauges.zoneSkew { HarvestMetrics.setZoneSkew(account: account, seconds: seconds) }
        let gone = reportedTasks.withLock { reported in
            defer { reported = Set(gauges.cursorLag.keys) }
            return reported.subtracting(gauges.cursorLag.keys)
        }
        for task in gone { HarvestMetrics.removeCursorLag(task: task) }
    }
}
