import Foundation
import GRDB
import HarvestCore
import HarvestSimulator
import Testing

/// `harvest serve` against the Oxylabs fake in each reading of what the documents leave open
/// (docs/ARCHITECTURE.md, "Every plausible reading"), checked against the fake's ground truth: every job final once with the
/// status Oxylabs gives it, every result stored once under its type.
@Suite(.serialized) struct OxylabsReadingsEndToEndTests {
    private func environment(_ endpoints: SimulatorEndpoints) -> [String: String] {
        ["OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1"]
    }

    private func configuration(_ change: (inout OxylabsConfiguration) -> Void) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(300)
        change(&configuration.oxylabs)
        return configuration
    }

    /// Queues `lines` (JSON payloads) with `--results` when given.
    private func submit(_ workspace: Workspace, _ name: String, _ lines: [String], results: String? = nil) throws {
        let file = try workspace.write(name, lines.joined(separator: "\n"))
        let submitted = try HarvestProcess.runBlocking(
            ["jobs", "submit", "--file", file] + (results.map { ["--results", $0] } ?? []),
            in: workspace.url
        )
        #expect(submitted.status == 0, "\(submitted.stderr)")
    }

    /// Queues `count` URL jobs that share every other parameter (they may go out as batches).
    private func submitURLJobs(_ workspace: Workspace, count: Int) throws {
        try submit(
            workspace,
            "jobs.jsonl",
            (0..<count).map { #"{"source":"universal","url":"https://example.com/item/\#($0)"}"# }
        )
    }

    /// `harvest serve --until-idle`, with callbacks to its own loopback port when `callbacks` is set.
    private func serve(_ workspace: Workspace, _ endpoints: SimulatorEndpoints, callbacks: Bool = false) async throws {
        let port = try freePort()
        let served = try await HarvestProcess.run(
            ["serve", "--until-idle", "--listen", "127.0.0.1:\(port)"]
                + (callbacks ? ["--public-url", "http://127.0.0.1:\(port)"] : []),
            in: workspace.url,
            environment: environment(endpoints)
        )
        #expect(served.status == 0, "\(served.stderr)")
    }

    /// The Oxylabs account of `harvest status --json`.
    private func account(_ workspace: Workspace) throws -> [String: Any] {
        let status = try workspace.harvest("status", "--json")
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let accounts = report?["accounts"] as? [[String: Any]] ?? []
        return try #require(accounts.first { $0["provider"] as? String == "oxylabs" })
    }

    /// A fake that faults one job in ten and answers results without `job`.
    private static let faultsWithoutJob = {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(300)
        configuration.oxylabs.resultsOmitJob = true
        configuration.oxylabs.faultedShare = 0.1
        return configuration
    }()

    /// A fake that allows 100 submissions a second and announces it in `style`.
    private func allowing100(announcedAs style: RateHeaderStyle) -> SimulatorConfiguration {
        configuration {
            $0.rateHeaders = style
            $0.submissionsPerSecond = 100
            $0.latencyMedian = .milliseconds(100)
        }
    }

    /// The highest submission rate `harvest status` shows: the rate in use, or the one a 429 refused.
    private func rateReached(_ account: [String: Any]) throws -> Double {
        let rate = try #require(account["submission_rate"] as? Double)
        return max(rate, account["submission_rate_refused"] as? Double ?? 0)
    }

    // MARK: Results entries without `type`

    @Test func resultsWithoutATypeAreStoredUnderTheTypeAskedFor() async throws {
        try await HarvestSimulator.withRunning(configuration { $0.resultsOmitType = true }) { simulator, endpoints in
            let workspace = try Workspace()
            try submit(
                workspace,
                "single.jsonl",
                (0..<8).map { #"{"source":"universal","url":"https://example.com/a/\#($0)","pages":\#($0 % 2 + 1)}"# }
                    + (0..<4).map { #"{"source":"google_search","query":"shoes \#($0)","parse":true}"# }
            )
            try submit(
                workspace,
                "shots.jsonl",
                (0..<6).map { #"{"source":"universal","url":"https://example.com/shot/\#($0)","render":"png"}"# },
                results: "raw,png"
            )
            try submit(
                workspace,
                "both.jsonl",
                (0..<4).map { #"{"source":"google_search","query":"q \#($0)","parse":true,"render":"png","pages":2}"# },
                results: "parsed,png"
            )
            try await serve(workspace, endpoints)
            let statuses = try OxylabsGroundTruth.expectAgrees(workspace, with: simulator, jobs: 22)
            #expect(statuses["done"] == 22)
            // Each page holds what its type says: HTML, the parser's JSON, PNG bytes.
            #expect(
                try workspace.scalar(
                    """
                    SELECT COUNT(*) FROM oxylabs_results WHERE NOT (
                        (type = 'raw' AND content LIKE '<!doctype html>%')
                        OR (type = 'parsed' AND json_extract(content, '$.parse_status_code') = 12000)
                        OR (type = 'png' AND hex(substr(content, 1, 4)) = '89504E47'))
                    """
                ) == 0
            )
            #expect(try workspace.scalar("SELECT COUNT(*) FROM oxylabs_results WHERE type = 'png'") == 6 + 8)
            // One results call for a job of one type; for two types the untyped answer, then one call each.
            let typesByRemote = try await DatabaseQueue(path: workspace.database).read { db in
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT remote_id, result_types FROM oxylabs_jobs").map
                    {
                        (row: Row) -> (String, String) in (row["remote_id"], row["result_types"])
                    }
                )
            }
            for job in simulator.oxylabs.truth() {
                let types = typesByRemote[job.id] ?? ""
                #expect(job.resultRequests == (types.contains(",") ? 3 : 1), "\(types): \(job.resultRequests)")
            }
        }
    }

    // MARK: Results answers without `job`

    @Test func withCallbacksAndResultsWithoutAJobNoFaultedJobIsStoredAsDone() async throws {
        // Before: with callbacks, a faulted job's results answered 200 with stub content and no `job`, and
        // 19 of 150 jobs were stored as done.
        try await HarvestSimulator.withRunning(Self.faultsWithoutJob) { simulator, endpoints in
            let workspace = try Workspace()
            try submitURLJobs(workspace, count: 150)
            try await serve(workspace, endpoints, callbacks: true)
            let statuses = try OxylabsGroundTruth.expectAgrees(workspace, with: simulator, jobs: 150)
            let faultedUpstream = simulator.oxylabs.truth().filter { $0.status == "faulted" }.count
            #expect(faultedUpstream > 0)
            #expect(simulator.oxylabs.stats.count("callback.delivered") >= 150)
            print(
                "results without job, callbacks: \(faultedUpstream) faults upstream, \(statuses["done"] ?? 0) done, "
                    + "\(statuses["faulted"] ?? 0) ended faulted, 0 faulted stored as done"
            )
        }
    }

    @Test func whenPollingResultsWithoutAJobNeedNoExtraStatusRequest() async throws {
        try await HarvestSimulator.withRunning(Self.faultsWithoutJob) { simulator, endpoints in
            let workspace = try Workspace()
            try submitURLJobs(workspace, count: 40)
            try await serve(workspace, endpoints)
            try OxylabsGroundTruth.expectAgrees(workspace, with: simulator, jobs: 40)
            // The poll that saw a job done is the status endpoint's word: its results are stored at once.
            let fetches = simulator.oxylabs.truth().filter { $0.status == "done" }.map(\.resultRequests)
            #expect(fetches.allSatisfy { $0 == 1 })
        }
    }

    // MARK: Rate headers

    @Test func withoutRateHeadersTheSubmissionRateIsProbedUpFromTen() async throws {
        try await HarvestSimulator.withRunning(allowing100(announcedAs: .none)) { simulator, endpoints in
            let workspace = try Workspace()
            try submitURLJobs(workspace, count: 1000)
            try await serve(workspace, endpoints)
            try OxylabsGroundTruth.expectAgrees(workspace, with: simulator, jobs: 1000)
            let oxylabs = try account(workspace)
            #expect(oxylabs["submission_limit"] is NSNull)
            // Ten a second, the rate before this change, would never have moved.
            let reached = try rateReached(oxylabs)
            #expect(reached >= 50, "reached \(reached)/s")
            let created = simulator.oxylabs.truth().map(\.createdAt)
            let span = (created.max() ?? .distantPast).timeIntervalSince(created.min() ?? .distantPast)
            print(
                "no rate headers: reached \(reached)/s; 1000 jobs submitted within \(span) s; "
                    + "\(simulator.oxylabs.stats.count("429")) requests refused"
            )
            let text = try workspace.harvest("status").stdout
            #expect(text.contains("no limit announced: probing"), "\(text)")
        }
    }

    @Test(arguments: [(RateHeaderStyle.standard, 100 as Int?), (.unknown, nil)])
    func rateHeadersNamedOtherwiseAreReadOrProbedFor(style: RateHeaderStyle, announced: Int?) async throws {
        try await HarvestSimulator.withRunning(allowing100(announcedAs: style)) { simulator, endpoints in
            let workspace = try Workspace()
            try submitURLJobs(workspace, count: 300)
            try await serve(workspace, endpoints)
            try OxylabsGroundTruth.expectAgrees(workspace, with: simulator, jobs: 300)
            let oxylabs = try account(workspace)
            #expect(oxylabs["submission_limit"] as? Int == announced)
            let reached = try rateReached(oxylabs)
            #expect(reached >= 30, "reached \(reached)/s")
        }
    }
}
