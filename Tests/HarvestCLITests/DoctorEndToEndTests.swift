import Foundation
import HarvestCore
import HarvestSimulator
import Testing

/// `harvest doctor` as a real process against the fakes: it names the reading of every open point the
/// fake is switched to, never prints a secret, and fails in one line that names the fix.
@Suite(.serialized) struct DoctorEndToEndTests {
    /// One switch of the fakes, and the check lines that must say it.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var change: @Sendable (inout SimulatorConfiguration) -> Void = { _ in }
        /// Check name → a text its detail holds.
        var expected: [String: String]
        var environment: [String: String] = [:]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "defaults",
            expected: [
                "octoparse.to": "`to` is inclusive", "octoparse.total": "`total` counts the window",
                "octoparse.empty_answer": "an empty page", "octoparse.pageindex": "is a page number",
                "octoparse.timezone": "no row stored more than 30 minutes ahead of now",
                "oxylabs.results_type": "results entries carry `type`",
                "oxylabs.results_job": "results answers carry the `job` object",
                "oxylabs.rate_headers": "x-ratelimit-jobs-limit: 100", "oxylabs.credentials": "user accepted",
                "octoparse.credentials": "password grant for harvest-demo accepted",
                "octoparse.tasks": "3 task groups, 6 tasks",
            ]
        ),
        Case(
            name: "to exclusive",
            change: { $0.octoparse.toIsInclusive = false },
            expected: ["octoparse.to": "`to` is exclusive", "octoparse.total": "`total` counts the window"]
        ),
        Case(
            name: "total counts the task",
            change: { $0.octoparse.totalReading = .task },
            expected: ["octoparse.total": "`total` counts the whole task", "octoparse.to": "`to` is inclusive"]
        ),
        Case(
            name: "pageindex is an offset",
            change: { $0.octoparse.pageIndexReading = .offset },
            expected: ["octoparse.pageindex": "`pageindex` is a row offset"]
        ),
        Case(
            name: "empty data is null",
            change: { $0.octoparse.emptyDataIsNull = true },
            expected: [
                "octoparse.empty_answer": #""data": null"#, "octoparse.total": "`total` counts the window",
            ]
        ),
        Case(
            name: "empty data is null and total counts the task",
            change: {
                $0.octoparse.emptyDataIsNull = true
                $0.octoparse.totalReading = .task
            },
            expected: [
                "octoparse.empty_answer": #""data": null"#, "octoparse.total": "`total` counts the whole task",
            ]
        ),
        Case(
            name: "server zone east of the configured one",
            change: {
                $0.octoparse.serverTimeZone = UTCOffset(seconds: 10 * 3600)
                $0.octoparse.live = true
                $0.octoparse.liveLateCommitShare = 0
            },
            expected: [
                "octoparse.timezone": "the server's zone is probably +10:00; set OCTOPARSE_TIMEZONE=+10:00"
            ]
        ),
        Case(
            name: "results without type",
            change: { $0.oxylabs.resultsOmitType = true },
            expected: ["oxylabs.results_type": "results entries carry no `type`"]
        ),
        Case(
            name: "results without job",
            change: { $0.oxylabs.resultsOmitJob = true },
            expected: ["oxylabs.results_job": "results answers carry no `job`"]
        ),
        Case(
            name: "IETF rate headers",
            change: { $0.oxylabs.rateHeaders = .standard },
            expected: ["oxylabs.rate_headers": "RateLimit-Limit: 100"]
        ),
        Case(
            name: "unknown rate headers",
            change: { $0.oxylabs.rateHeaders = .unknown },
            expected: ["oxylabs.rate_headers": "no naming Harvest reads"]
        ),
        Case(
            name: "no rate headers",
            change: { $0.oxylabs.rateHeaders = .none },
            expected: ["oxylabs.rate_headers": "carries no rate header"]
        ),
    ]

    static let octoparsePassword = "p&ss+w%rd 1"
    static let oxylabsPassword = "pass1"

    static func configuration(_ change: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.octoparse.rowsPerTask = 1_500
        configuration.octoparse.largeTaskRows = 12_000
        configuration.oxylabs.latencyMedian = .milliseconds(200)
        change(&configuration)
        return configuration
    }

    static func environment(_ endpoints: SimulatorEndpoints, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL, "OCTOPARSE_USERNAME": "harvest-demo",
            "OCTOPARSE_PASSWORD": octoparsePassword, "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL,
            "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": oxylabsPassword,
        ].merging(extra) { $1 }
    }

    /// The checks of a `--json` run, by name.
    static func checks(_ result: ProcessResult) throws -> [String: (status: String, detail: String)] {
        let array = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        var checks: [String: (status: String, detail: String)] = [:]
        for entry in array {
            let name = try #require(entry["check"])
            #expect(checks[name] == nil, "check \(name) twice")
            checks[name] = (try #require(entry["status"]), try #require(entry["detail"]))
        }
        return checks
    }

    /// No output holds a password, the Base64 of Oxylabs' credentials, or a token the fake issued.
    static func expectNoSecret(_ results: [ProcessResult], tokens: [String], passwords: [String]) {
        var secrets = passwords + tokens
        secrets.append(Data("user:\(oxylabsPassword)".utf8).base64EncodedString())
        for result in results {
            for secret in secrets {
                #expect(!result.stdout.contains(secret), "a secret in stdout")
                #expect(!result.stderr.contains(secret), "a secret in stderr")
            }
        }
    }

    @Test(arguments: cases)
    func doctorNamesTheReadingOfEachSwitch(_ test: Case) async throws {
        try await HarvestSimulator.withRunning(Self.configuration(test.change)) { simulator, endpoints in
            let workspace = try Workspace()
            let env = Self.environment(endpoints, test.environment)
            if let live = simulator.octoparse.tasks().first(where: { $0.kind == .live })?.id {
                // The live task starts empty: wait for rows stored at the server's now.
                try await eventually("the live task has rows") {
                    simulator.octoparse.rows(taskID: live)!.count > simulator.octoparse.rowsAwaitingCommit(taskID: live)
                }
            }
            // The fake takes any rate; the default 20/s is left to the test with a database.
            let fast = ["--octoparse-rate", "5000"]
            let json = try await HarvestProcess.run(
                ["doctor", "--submit-test-job", "--json"] + fast,
                in: workspace.url,
                environment: env
            )
            #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
            let checks = try Self.checks(json)
            for (name, text) in test.expected {
                let check = try #require(checks[name], "no check \(name) in \(json.stdout)")
                #expect(check.detail.lowercased().contains(text.lowercased()), "\(name): \(check.detail)")
            }
            let text = try await HarvestProcess.run(
                ["doctor", "--submit-test-job"] + fast,
                in: workspace.url,
                environment: env
            )
            #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
            // One line per check, in the same order, the status first.
            let lines = text.stdout.split(separator: "\n")
            #expect(lines.count == checks.count, "\(text.stdout)")
            for (name, text) in test.expected {
                #expect(
                    lines.contains { $0.contains(name) && $0.lowercased().contains(text.lowercased()) },
                    "\(name) in the text"
                )
            }
            #expect(!FileManager.default.fileExists(atPath: workspace.database), "doctor created a database")
            let tokens = simulator.octoparse.issuedTokens()
            #expect(!tokens.isEmpty)
            Self.expectNoSecret(
                [json, text],
                tokens: tokens,
                passwords: [Self.octoparsePassword, Self.oxylabsPassword]
            )
        }
    }

    /// With a database: the registered task is probed first, the stored token is used, what the sync
    /// learned is shown, and the file is left exactly as it was.
    @Test func withADatabaseItUsesTheStoredTokenAndWritesNothing() async throws {
        let config = Self.configuration { $0.octoparse.toIsInclusive = false }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            let env = Self.environment(endpoints)
            let product = simulator.octoparse.tasks().first { $0.name == "Product prices" }!.id
            #expect(try await workspace.harvest(async: "tasks", "add", product, environment: env).status == 0)
            let synced = try await workspace.harvest(
                async: "tasks",
                "sync",
                "--octoparse-rate",
                "5000",
                environment: env
            )
            #expect(synced.status == 0, "\(synced.stderr)")
            let before = try workspace.fingerprint()
            let result = try await workspace.harvest(async: "doctor", "--json", environment: env)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let checks = try Self.checks(result)
            #expect(checks["database"]?.detail.contains("1 task registered") == true)
            #expect(
                checks["octoparse.credentials"]?.detail.contains("the token stored in the database is accepted") == true
            )
            #expect(checks["octoparse.tasks"]?.detail.contains("1 of them registered in this database") == true)
            #expect(checks["octoparse.probe_task"]?.detail.contains(product) == true)
            #expect(checks["octoparse.to"]?.detail.contains("`to` is exclusive") == true)
            #expect(checks["octoparse.learned"]?.detail.contains("`to` is exclusive") == true, "\(result.stdout)")
            #expect(try workspace.fingerprint() == before, "doctor changed the database")
            Self.expectNoSecret(
                [result],
                tokens: simulator.octoparse.issuedTokens(),
                passwords: [Self.octoparsePassword, Self.oxylabsPassword]
            )
        }
    }

    @Test func withoutCredentialsOneLineSaysWhatToSet() async throws {
        let workspace = try Workspace()
        let result = try await workspace.harvest(async: "doctor")
        #expect(result.status == 1)
        #expect(result.stdout.split(separator: "\n").count == 1, "\(result.stdout)")
        #expect(result.stdout.contains("set OXYLABS_USERNAME and OXYLABS_PASSWORD, or OCTOPARSE_USERNAME"))
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test func anUnreachableHostIsOneFailLineNamingTheFix() async throws {
        let closed = try await HarvestSimulator.withRunning(Self.configuration()) { _, endpoints in endpoints }
        let workspace = try Workspace()
        let env = Self.environment(closed)
        let result = try await workspace.harvest(async: "doctor", environment: env)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "cannot reach \(closed.octoparseBaseURL): connection refused; check OCTOPARSE_BASE_URL (scheme, host and port)"
            ),
            "\(result.stdout)"
        )
        #expect(result.stdout.contains("check OXYLABS_BASE_URL"), "\(result.stdout)")
        // Nothing more is tried on a host that cannot be reached.
        #expect(!result.stdout.contains("credentials"), "\(result.stdout)")
    }

    /// The by-time call's own host is checked on its own: when it cannot be reached, that is the failing
    /// line (naming its setting), the account's host and credentials still check out, and the readings
    /// are not probed.
    @Test func aByTimeHostThatCannotBeReachedNamesItsOwnSetting() async throws {
        let closed = try await HarvestSimulator.withRunning(Self.configuration()) { _, endpoints in endpoints }
        try await HarvestSimulator.withRunning(Self.configuration()) { _, endpoints in
            let workspace = try Workspace()
            let env = Self.environment(endpoints, ["OCTOPARSE_BY_TIME_BASE_URL": closed.octoparseBaseURL])
            let result = try await workspace.harvest(async: "doctor", "--json", environment: env)
            #expect(result.status == 1)
            let checks = try Self.checks(result)
            #expect(checks["octoparse.by_time.connection"]?.status == "fail")
            #expect(
                checks["octoparse.by_time.connection"]?.detail
                    == "cannot reach \(closed.octoparseBaseURL): connection refused; check OCTOPARSE_BY_TIME_BASE_URL "
                    + "(scheme, host and port) and that the server is up"
            )
            #expect(checks["octoparse.connection"]?.status == "warn")  // plain http
            #expect(checks["octoparse.credentials"]?.status == "ok")
            #expect(checks["octoparse.tasks"]?.status == "ok")
            #expect(checks["octoparse.to"] == nil)
        }
    }

    @Test func aWrongPasswordIsAFailLineWithoutTheSecret() async throws {
        try await HarvestSimulator.withRunning(Self.configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let wrongOctoparse = "not-the+password&1"
            let wrongOxylabs = "wrong-pass-9"
            let env = Self.environment(
                endpoints,
                ["OCTOPARSE_PASSWORD": wrongOctoparse, "OXYLABS_PASSWORD": wrongOxylabs]
            )
            let text = try await workspace.harvest(async: "doctor", environment: env)
            let json = try await workspace.harvest(async: "doctor", "--json", environment: env)
            #expect(text.status == 1)
            #expect(json.status == 1)
            let checks = try Self.checks(json)
            #expect(checks["octoparse.credentials"]?.status == "fail")
            #expect(
                checks["octoparse.credentials"]?.detail.contains("check OCTOPARSE_USERNAME and OCTOPARSE_PASSWORD")
                    == true
            )
            #expect(checks["oxylabs.credentials"]?.status == "fail")
            #expect(
                checks["oxylabs.credentials"]?.detail.contains("check OXYLABS_USERNAME and OXYLABS_PASSWORD") == true
            )
            var secrets = [wrongOctoparse, wrongOxylabs, Data("user:\(wrongOxylabs)".utf8).base64EncodedString()]
            secrets += simulator.octoparse.issuedTokens()
            Self.expectNoSecret(
                [text, json],
                tokens: secrets,
                passwords: [Self.octoparsePassword, Self.oxylabsPassword]
            )
        }
    }

    @Test func thePublicURLIsCheckedFromThisHost() async throws {
        try await HarvestSimulator.withRunning(Self.configuration()) { _, endpoints in
            let workspace = try Workspace()
            // The Oxylabs fake stands in for a reverse proxy: any answer means the address leads somewhere.
            let env = [
                "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
            ]
            let result = try await workspace.harvest(
                async: "doctor",
                "--public-url",
                endpoints.oxylabsBaseURL,
                "--json",
                environment: env
            )
            let checks = try Self.checks(result)
            #expect(checks["callbacks.public_url"]?.status == "ok", "\(result.stdout)")
            #expect(checks["callbacks.public_url"]?.detail.contains("answers from this host (HTTP 4") == true)
            // Only the configured provider is checked.
            #expect(checks.keys.allSatisfy { !$0.hasPrefix("octoparse") })
        }
    }
}
