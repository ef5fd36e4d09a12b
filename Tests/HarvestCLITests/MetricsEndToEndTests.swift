import AsyncHTTPClient
import Foundation
import GRDB
import HarvestCore
import HarvestSimulator
import Testing

/// `GET /metrics` of a real `harvest serve` process after it did known work against both fakes: every
/// counter must equal the work the database and the fakes' ground truth say was done.
@Suite(.serialized) struct MetricsEndToEndTests {
    /// Six jobs that share every parameter but their URL (a batch) and two with parameters of their own.
    private static let jobLines =
        (0..<6).map { #"{"source":"universal","url":"https://example.com/item/\#($0)"}"# } + [
            #"{"source":"universal","url":"https://example.com/list","pages":2}"#,
            #"{"source":"google_search","query":"adidas shoes","parse":true}"#,
        ]

    /// The fakes' request counters, by the endpoint label Harvest should give them.
    private static let oxylabsEndpoints = [
        "POST /v1/queries": "submit", "POST /v1/queries/batch": "batch", "GET /v1/queries/{id}": "status",
        "GET /v1/queries/{id}/results": "results", "GET /v1/info/callbacker_ips": "callbacker_ips",
    ]
    private static let octoparseEndpoints = [
        "POST /token": "token", "GET /api/taskgroup": "task_groups", "GET /api/task": "tasks",
        "GET /api/alldata": "all_data", "GET /api/alldata/GetDataOfTaskByTimeAndPaging": "data_by_time",
        "GET /api/alldata/GetLastDataOfTaskByPaging": "last_run_data",
        "GET /api/alldata/GetDataOfTaskByOffset": "data_by_offset", "GET /api/notexportdata": "not_exported",
        "GET /api/notexportdata/gettop": "not_exported_top", "POST /api/notexportdata/update": "mark_exported",
    ]

    private func environment(_ endpoints: SimulatorEndpoints) -> [String: String] {
        [
            "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
            "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL, "OCTOPARSE_USERNAME": "harvest-demo",
            "OCTOPARSE_PASSWORD": "p&ss+w%rd 1",
        ]
    }

    @Test func countersEqualTheWorkDone() async throws {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(300)
        configuration.oxylabs.latencySigma = 0.5
        configuration.octoparse.rowsPerTask = 1_500
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let file = try workspace.write("jobs.jsonl", Self.jobLines.joined(separator: "\n"))
            let submitted = try workspace.harvest("jobs", "submit", "--file", file)
            let ids = submitted.stdout.split(separator: "\n").map(String.init)
            #expect(ids.count == Self.jobLines.count, "\(submitted.stderr)")
            let task = try #require(simulator.octoparse.tasks().first { $0.kind == .standard })
            // Synced once an hour: after catching up, the task makes no request while the test looks.
            #expect(try workspace.harvest("tasks", "add", task.id, "--every", "1h", environment: env).status == 0)
            let oxylabsBefore = simulator.oxylabs.stats.snapshot()
            let octoparseBefore = simulator.octoparse.stats.snapshot()

            let service = try ServiceProcess(workspace, ["--octoparse-rate", "5000"], environment: env)
            defer { service.kill() }
            let metricsURL = "\(service.baseURL)/metrics"
            try await eventually("the service answers") { (try? await get(metricsURL))?.status == 200 }
            let waited = try await HarvestProcess.run(
                ["jobs", "wait"] + ids + ["--timeout", "60s"],
                in: workspace.url,
                environment: env
            )
            #expect(waited.status == 0, "\(waited.stdout)\(waited.stderr)")
            try await eventually("the task caught up") {
                try scalar(
                    workspace,
                    """
                    SELECT caught_up = 1 AND last_synced_at IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM harvest_leases WHERE resource = 'task:' || task_id)
                    FROM octoparse_tasks WHERE task_id = '\(task.id)'
                    """
                ) == 1
            }

            let table = try #require(
                try text(workspace, "SELECT table_name FROM octoparse_tasks WHERE task_id = ?", [task.id])
            )
            let rows = try scalar(workspace, "SELECT COUNT(*) FROM \"\(table)\"")
            let resultBytes = try scalar(workspace, "SELECT SUM(bytes) FROM oxylabs_results")
            let done = try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'")
            #expect(rows == task.rows)
            #expect(done == Self.jobLines.count)
            // A counter is recorded just after the commit the database shows: scrape until they agree.
            var metrics = try PrometheusText("")
            let settled = try await eventually("the counters catch up with the database", orFail: false) {
                metrics = try PrometheusText(try await get(metricsURL).body)
                let requests = metrics.sum("harvest_upstream_requests_total")
                let simulated = Self.requests(simulator.oxylabs.stats.snapshot(), since: oxylabsBefore)
                    .merging(Self.requests(simulator.octoparse.stats.snapshot(), since: octoparseBefore)) { $0 + $1 }
                return metrics.value("harvest_result_bytes_total") == Double(resultBytes)
                    && metrics.value("harvest_task_rows_ingested_total", ["task": task.id]) == Double(rows)
                    && requests == Double(simulated.values.reduce(0, +))
            }
            #expect(settled)

            // Oxylabs: each job submitted once, every poll and download counted as the fake counted them.
            #expect(metrics.value("harvest_submissions_total") == Double(Self.jobLines.count))
            // The rate in use: the fake announces 100 submissions a second in its rate headers.
            #expect(metrics.value("harvest_submission_rate") == 100)
            #expect(metrics.value("harvest_result_bytes_total") == Double(resultBytes))
            #expect(metrics.value("harvest_jobs", ["status": "done"]) == Double(done))
            for status in ["queued", "submitting", "pending", "faulted", "failed", "cancelled"] {
                #expect(metrics.value("harvest_jobs", ["status": status]) == 0, "\(status)")
            }
            let oxylabs = Self.requests(simulator.oxylabs.stats.snapshot(), since: oxylabsBefore)
            #expect((oxylabs["POST /v1/queries/batch"] ?? 0) >= 1, "a batch was submitted: \(oxylabs)")
            #expect(metrics.value("harvest_polls_total") == Double(oxylabs["GET /v1/queries/{id}"] ?? 0))
            expectRequests(metrics, provider: "oxylabs", equal: oxylabs, endpoints: Self.oxylabsEndpoints)

            // Octoparse: the rows stored, the token grant, every request.
            let octoparse = Self.requests(simulator.octoparse.stats.snapshot(), since: octoparseBefore)
            #expect(metrics.value("harvest_task_rows_ingested_total", ["task": task.id]) == Double(rows))
            let grants = simulator.octoparse.stats.snapshot()
            #expect(grants["token.password", default: 0] == 1)
            for kind in ["password", "refresh"] {
                #expect(
                    metrics.sum("harvest_token_refreshes_total", matching: ["provider": "octoparse", "kind": kind])
                        == Double(grants["token.\(kind)", default: 0] - octoparseBefore["token.\(kind)", default: 0]),
                    "\(kind)"
                )
            }
            expectRequests(metrics, provider: "octoparse", equal: octoparse, endpoints: Self.octoparseEndpoints)

            // The cursor lag is now minus the task's cursor, read at scrape time.
            let cursor = try #require(
                try text(workspace, "SELECT cursor FROM octoparse_tasks WHERE task_id = ?", [task.id])
            )
            let lag = try #require(metrics.value("harvest_task_cursor_lag_seconds", ["task": task.id]))
            let expectedLag = Date().timeIntervalSince(try #require(UTCTime.parse(cursor)))
            #expect(lag > 0 && abs(lag - expectedLag) < 30, "lag \(lag), expected about \(expectedLag)")

            #expect(try await service.terminate() == 0, "\(service.stderr)")
        }
    }

    @Test func callbacksAreCountedByOutcome() async throws {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(300)
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let workspace = try Workspace()
            let lines = (0..<5).map { #"{"source":"universal","url":"https://example.com/\#($0)"}"# }
            let file = try workspace.write("jobs.jsonl", lines.joined(separator: "\n"))
            let ids = try workspace.harvest("jobs", "submit", "--file", file).stdout.split(separator: "\n").map(
                String.init
            )
            let port = try freePort()
            let base = "http://127.0.0.1:\(port)"
            let service = try ServiceProcess(
                workspace,
                ["--public-url", base],
                port: port,
                environment: environment(endpoints).filter { $0.key.hasPrefix("OXYLABS_") }
            )
            defer { service.kill() }
            try await eventually("the service answers") { (try? await get("\(base)/healthz"))?.status == 200 }
            let waited = try await HarvestProcess.run(
                ["jobs", "wait"] + ids + ["--timeout", "60s"],
                in: workspace.url,
                environment: [:]
            )
            #expect(waited.status == 0, "\(waited.stdout)\(waited.stderr)")
            try await eventually("every callback was delivered") {
                simulator.oxylabs.stats.count("callback.delivered") == ids.count
            }

            let secret = try #require(
                try text(workspace, "SELECT value FROM harvest_secrets WHERE name = 'oxylabs-callback'")
            )
            let callbacks = "\(base)/callbacks/oxylabs/"
            let unknown = #"{"id": "7999999999999999999", "status": "done"}"#
            #expect(try await post(callbacks + "wrong-secret", unknown) == 404)
            #expect(try await post(callbacks + secret + "x", unknown) == 404)
            #expect(try await post(callbacks + secret, "not json at all") == 400)
            #expect(try await post(callbacks + secret, #"{"id": 12, "status": "done"}"#) == 400)
            #expect(try await post(callbacks + secret, String(repeating: "[", count: 200_000)) == 413)
            #expect(try await post(callbacks + secret, unknown) == 200)

            let metrics = try PrometheusText(try await get("\(base)/metrics").body)
            func outcome(_ name: String) -> Double? {
                metrics.value("harvest_callback_deliveries_total", ["outcome": name])
            }
            #expect(outcome("bad_secret") == 2)
            #expect(outcome("malformed") == 2)
            #expect(outcome("too_large") == 1)
            // Each of the fake's callbacks found its job pending (accepted) or already fetched (ignored);
            // the unknown id is ignored.
            let accepted = outcome("accepted") ?? 0
            let ignored = outcome("ignored") ?? 0
            #expect(accepted >= 1 && ignored >= 1)
            #expect(accepted + ignored == Double(ids.count + 1))
            #expect(metrics.sum("harvest_callback_deliveries_total") == Double(ids.count + 6))
            #expect(try await service.terminate() == 0, "\(service.stderr)")
        }
    }

    /// Requests since `before`, by endpoint (the fakes also count faults and grants under other keys).
    private static func requests(_ now: [String: Int], since before: [String: Int]) -> [String: Int] {
        now.filter { $0.key.hasPrefix("GET /") || $0.key.hasPrefix("POST /") }
            .mapValues { $0 }
            .reduce(into: [:]) { result, entry in
                let count = entry.value - (before[entry.key] ?? 0)
                if count > 0 { result[entry.key] = count }
            }
    }

    /// Every request the fake counted is in the request counter under its endpoint, and the duration
    /// histogram counted each one too (its `_count` and `+Inf` bucket equal the counter).
    private func expectRequests(
        _ metrics: PrometheusText,
        provider: String,
        equal simulated: [String: Int],
        endpoints: [String: String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var expected: [String: Int] = [:]
        for (key, count) in simulated {
            guard let endpoint = endpoints[key] else {
                Issue.record(
                    "the fake counted requests to \(key) that the test does not know",
                    sourceLocation: sourceLocation
                )
                continue
            }
            expected[endpoint, default: 0] += count
        }
        let counted = Dictionary(
            grouping: metrics.series("harvest_upstream_requests_total", matching: ["provider": provider]),
            by: { $0.labels["endpoint"] ?? "" }
        ).mapValues { Int($0.map(\.value).reduce(0, +)) }
        #expect(counted == expected, "\(provider) requests", sourceLocation: sourceLocation)
        // Nothing failed in transport against a fake without faults: every status is the code the fake gave.
        let statuses = Set(
            metrics.series("harvest_upstream_requests_total", matching: ["provider": provider]).map {
                $0.labels["status"] ?? ""
            }
        )
        #expect(statuses.allSatisfy { Int($0) != nil }, "\(statuses)", sourceLocation: sourceLocation)
        for (endpoint, count) in expected {
            let labels = ["provider": provider, "endpoint": endpoint]
            #expect(
                metrics.value("harvest_upstream_request_duration_seconds_count", labels) == Double(count),
                "\(provider) \(endpoint) histogram count",
                sourceLocation: sourceLocation
            )
            #expect(
                metrics.value("harvest_upstream_request_duration_seconds_bucket", labels.merging(["le": "+Inf"]) { $1 })
                    == Double(count),
                sourceLocation: sourceLocation
            )
            let buckets = metrics.series("harvest_upstream_request_duration_seconds_bucket", matching: labels)
                .sorted { Double($0.labels["le"]!)! < Double($1.labels["le"]!)! }.map(\.value)
            #expect(buckets == buckets.sorted(), "buckets are cumulative", sourceLocation: sourceLocation)
            #expect(buckets.count > 5, sourceLocation: sourceLocation)
        }
    }

    private func scalar(_ workspace: Workspace, _ sql: String) throws -> Int {
        try DatabaseQueue(path: workspace.database).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    private func text(_ workspace: Workspace, _ sql: String, _ arguments: StatementArguments = []) throws -> String? {
        try DatabaseQueue(path: workspace.database).read { db in try String.fetchOne(db, sql: sql, arguments: arguments)
        }
    }

    private func post(_ url: String, _ body: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(.init(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    private func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}
