import Foundation
import GRDB
import HarvestCore
import HarvestSimulator
import Synchronization
import Testing

/// `harvest tasks …` and `harvest serve` as real processes against the Octoparse fake: every task's table
/// must equal the fake's rows as a multiset, whatever the faults, crashes and readings of the API.
@Suite(.serialized) struct OctoparseEndToEndTests {
    private static let nastyID = "b64701b4-3791-4b96-8331-80c2f52c55e4"

    private func environment(_ endpoints: SimulatorEndpoints, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL, "OCTOPARSE_USERNAME": "harvest-demo",
            "OCTOPARSE_PASSWORD": "p&ss+w%rd 1",
        ].merging(extra) { $1 }
    }

    private func configuration(_ change: (inout OctoparseConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.octoparse.rowsPerTask = 1_500
        configuration.octoparse.largeTaskRows = 12_000
        change(&configuration.octoparse)
        return configuration
    }

    /// A row as a canonical text: its non-null fields, sorted by name.
    private static func canonical(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    /// The task's table as a multiset of rows, fields under their Octoparse names.
    private func storedRows(_ workspace: Workspace, task: String) throws -> [String: Int] {
        try DatabaseQueue(path: workspace.database).read { db in
            guard
                let table = try String.fetchOne(
                    db,
                    sql: "SELECT table_name FROM octoparse_tasks WHERE task_id = ?",
                    arguments: [task]
                ),
                try db.tableExists(table)
            else { return [:] }
            let columns = try Row.fetchAll(
                db,
                sql: "SELECT field_name, column_name FROM octoparse_columns WHERE task_id = ?",
                arguments: [task]
            ).map { (field: $0["field_name"] as String, column: $0["column_name"] as String) }
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(SQLIdentifier.quoted(table))") {
                var fields: [String: String] = [:]
                for (field, column) in columns { fields[field] = row[column] }
                counts[Self.canonical(fields), default: 0] += 1
            }
            return counts
        }
    }

    /// The fake's rows of the task as a multiset (of its last run only, for `lastRun`).
    private func upstreamRows(_ simulator: HarvestSimulator, task: String, lastRun: Bool = false) -> [String: Int] {
        var counts: [String: Int] = [:]
        guard let all = simulator.octoparse.rows(taskID: task) else { return [:] }
        let rows = lastRun ? simulator.octoparse.lastRunRows(taskID: task) : Array(all)
        for row in rows {
            counts[Self.canonical(row.values), default: 0] += 1
        }
        return counts
    }

    private func expectTablesMatch(
        _ workspace: Workspace,
        _ simulator: HarvestSimulator,
        tasks: [String]? = nil,
        lastRun: Bool = false
    ) throws {
        for task in tasks ?? simulator.octoparse.tasks().map(\.id) {
            let stored = try storedRows(workspace, task: task)
            let upstream = upstreamRows(simulator, task: task, lastRun: lastRun)
            #expect(stored.values.reduce(0, +) == upstream.values.reduce(0, +), "task \(task): row counts")
            #expect(stored == upstream, "task \(task): rows differ")
        }
    }

    private func scalar(_ workspace: Workspace, _ sql: String) throws -> Int {
        try DatabaseQueue(path: workspace.database).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    private func texts(_ workspace: Workspace, _ sql: String, _ arguments: StatementArguments = []) throws -> [String] {
        try DatabaseQueue(path: workspace.database).read { db in try String.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    private func serveUntilIdle(
        _ workspace: Workspace,
        _ arguments: [String] = [],
        environment: [String: String]
    ) async throws -> ProcessResult {
        try await HarvestProcess.run(
            ["serve", "--until-idle", "--listen", "127.0.0.1:0", "--octoparse-rate", "5000"] + arguments,
            in: workspace.url,
            environment: environment
        )
    }

    /// Each reading of `to` and of `total` (DESIGN.md, "Every plausible reading"): every table equals the
    /// upstream rows, and both readings are learned.
    @Test(arguments: [true, false], TotalReading.allCases)
    func everyTaskEqualsTheUpstreamRowsAndTheReadingsAreLearned(inclusive: Bool, total: TotalReading) async throws {
        let config = configuration {
            $0.toIsInclusive = inclusive
            $0.totalReading = total
        }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let discovered = try await workspace.harvest(async: "tasks", "discover", "--enable", environment: env)
            #expect(discovered.status == 0, "\(discovered.stderr)")
            #expect(discovered.stdout.contains("data_nasty_fields"))
            let served = try await serveUntilIdle(workspace, environment: env)
            #expect(served.status == 0, "\(served.stderr)")
            try expectTablesMatch(workspace, simulator)
            #expect(
                try scalar(
                    workspace,
                    "SELECT window_to_inclusive FROM harvest_accounts WHERE provider = 'octoparse'"
                ) == (inclusive ? 1 : 0)
            )
            let learned = try texts(
                workspace,
                "SELECT by_time_total FROM harvest_accounts WHERE provider = 'octoparse'"
            )
            #expect(learned == [total.rawValue])
            // Windows tile the time line: none overlaps the next.
            #expect(
                try scalar(
                    workspace,
                    """
                    SELECT count(*) FROM octoparse_windows a JOIN octoparse_windows b
                    ON a.task_id = b.task_id AND a.id != b.id AND a.from_time < b.to_time AND b.from_time < a.to_time
                    """
                ) == 0
            )
            // The nasty field names are columns, the hostile one included, and the originals are kept.
            let hostile = try scalar(
                workspace,
                #"SELECT count(*) FROM octoparse_columns WHERE field_name = 'x"); DROP TABLE t;--'"#
            )
            #expect(hostile == 1)
            // A second process finds the stored token and asks for no new one.
            let grants = simulator.octoparse.stats.count("POST /token")
            let again = try await workspace.harvest(async: "tasks", "sync", environment: env)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(simulator.octoparse.stats.count("POST /token") == grants)
            try expectTablesMatch(workspace, simulator)
        }
    }

    @Test func tokensRevokedEveryFewSecondsLoseNoPage() async throws {
        let config = configuration {
            $0.largeTaskRows = 200_000
            $0.forcedTokenExpiry = .seconds(3)
        }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let large = simulator.octoparse.tasks().first { $0.kind == .large }!.id
            #expect(try await workspace.harvest(async: "tasks", "add", large, environment: env).status == 0)
            let clock = ContinuousClock()
            let start = clock.now
            let served = try await serveUntilIdle(workspace, environment: env)
            let elapsed = (clock.now - start).seconds
            #expect(served.status == 0, "\(served.stderr)")
            try expectTablesMatch(workspace, simulator, tasks: [large])
            // One grant at start, then one per revoked token: never a storm.
            let grants = simulator.octoparse.stats.count("POST /token")
            #expect(Double(grants) <= 1.2 * elapsed / 3 + 2, "\(grants) token grants in \(elapsed) s")
        }
    }

    @Test func serverErrorsResetsAndMalformedAnswersLoseAndDoubleNothing() async throws {
        var faults = FaultRates.none
        faults.serverError = 0.05
        faults.connectionReset = 0.02
        faults.malformedBody = 0.03
        try await HarvestSimulator.withRunning(configuration { $0.faults = faults }) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            #expect(try await workspace.harvest(async: "tasks", "discover", "--enable", environment: env).status == 0)
            let served = try await serveUntilIdle(workspace, environment: env)
            #expect(served.status == 0, "\(served.stderr)")
            try expectTablesMatch(workspace, simulator)
        }
    }

    @Test(arguments: ["mid-window", "after-page-before-commit", "mid-transaction"])
    func aKilledServiceResumesWithoutLosingOrDoublingRows(crashpoint: String) async throws {
        try await HarvestSimulator.withRunning(configuration { $0.largeTaskRows = 30_000 }) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let large = simulator.octoparse.tasks().first { $0.kind == .large }!.id
            #expect(try await workspace.harvest(async: "tasks", "add", large, environment: env).status == 0)
            let crashed = try await serveUntilIdle(
                workspace,
                ["--lease", "1s"],
                environment: environment(
                    endpoints,
                    ["HARVEST_CRASHPOINT": crashpoint, "HARVEST_CRASHPOINT_SKIP": "12"]
                )
            )
            #expect(crashed.status == SIGKILL)
            let partial = try storedRows(workspace, task: large).values.reduce(0, +)
            #expect(partial > 0 && partial < 30_000)
            // The dead process's lease expires; the restarted one takes the task over.
            let restarted = try await serveUntilIdle(workspace, ["--lease", "1s"], environment: env)
            #expect(restarted.status == 0, "\(restarted.stderr)")
            try expectTablesMatch(workspace, simulator, tasks: [large])
            #expect(try scalar(workspace, "SELECT count(*) FROM octoparse_windows WHERE state != 'complete'") == 0)
            #expect(try scalar(workspace, "SELECT count(*) FROM harvest_leases") == 0)
        }
    }

    @Test func aCrashBetweenARefreshGrantAndStoringItLosesNoRow() async throws {
        // The fake's clock is moved by hand, so that the stored token is revoked exactly when the test says.
        let clock = Mutex(Date())
        let config = configuration { $0.forcedTokenExpiry = .seconds(5) }
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        try await HarvestSimulator.withRunning(config, now: now) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let standard = simulator.octoparse.tasks().filter { $0.kind == .standard }.map(\.id)
            #expect(try await workspace.harvest(async: "tasks", "add", standard[0], environment: env).status == 0)
            #expect(try await workspace.harvest(async: "tasks", "sync", environment: env).status == 0)
            // The stored token is revoked; the next sync refreshes it, which uses up the stored refresh
            // token, and dies before storing the new pair.
            clock.withLock { $0 += 60 }
            #expect(try await workspace.harvest(async: "tasks", "add", standard[1], environment: env).status == 0)
            let crashed = try await workspace.harvest(
                async: "tasks",
                "sync",
                "--lease",
                "1s",
                environment: environment(endpoints, ["HARVEST_CRASHPOINT": "after-grant-before-store"])
            )
            #expect(crashed.status == SIGKILL)
            #expect(simulator.octoparse.stats.count("token.refresh") == 1)
            // The next process finds a revoked token and a used refresh token: it signs in with the password.
            // The dead process's leases expire; the service takes its task over.
            let restarted = try await serveUntilIdle(workspace, ["--lease", "1s"], environment: env)
            #expect(restarted.status == 0, "\(restarted.stderr)")
            #expect(simulator.octoparse.stats.count("token.invalid_grant") == 1)
            #expect(simulator.octoparse.stats.count("token.password") == 2)
            try expectTablesMatch(workspace, simulator, tasks: Array(standard.prefix(2)))
        }
    }

    @Test(arguments: TotalReading.allCases)
    func lateCommitsAreCaughtByTheLookBack(total: TotalReading) async throws {
        let config = configuration {
            $0.totalReading = total
            $0.live = true
            $0.liveRowsPerSecond = 200
            $0.liveLateCommitShare = 0.3
            $0.liveCommitDelay = .seconds(2)
        }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let live = simulator.octoparse.tasks().first { $0.kind == .live }!.id
            #expect(
                try await workspace.harvest(async: "tasks", "add", live, "--every", "1s", environment: env).status == 0
            )
            // Read with no safety lag while rows keep arriving: rows committed late are missed at first.
            for _ in 0..<3 {
                let synced = try await workspace.harvest(
                    async: "tasks",
                    "sync",
                    "--safety-lag",
                    "0s",
                    "--look-back",
                    "12s",
                    environment: env
                )
                #expect(synced.status == 0, "\(synced.stderr)")
            }
            simulator.octoparse.pauseLive()
            // Once every late row is committed, the look-back re-check finds them.
            try await Task.sleep(for: .seconds(2.5))
            let served = try await serveUntilIdle(
                workspace,
                ["--safety-lag", "0s", "--look-back", "12s"],
                environment: env
            )
            #expect(served.status == 0, "\(served.stderr)")
            try expectTablesMatch(workspace, simulator, tasks: [live])
        }
    }

    @Test func lateCommitsInWindowsReadJustBeforeAnOutageLongerThanTheLookBackAreFound() async throws {
        // Found by `make chaos`: Octoparse work stalled for longer than the look-back (a process killed while
        // holding the token lease), and a window read just before had its late rows committed meanwhile;
        // it had ended more than a look-back ago by the next sync, so it was never checked again.
        let config = configuration {
            $0.live = true
            $0.liveRowsPerSecond = 500
            $0.liveLateCommitShare = 0.5
            $0.liveCommitDelay = .seconds(3)
        }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let live = simulator.octoparse.tasks().first { $0.kind == .live }!.id
            #expect(try await workspace.harvest(async: "tasks", "add", live, environment: env).status == 0)
            let flags = ["--safety-lag", "0s", "--look-back", "4s"]
            try await eventually("the live task holds a few seconds of rows") {
                simulator.octoparse.rows(taskID: live)!.count >= 1_000
            }
            // Read up to the present: the rows of the last seconds that commit late are not there yet.
            let synced = try await HarvestProcess.run(["tasks", "sync"] + flags, in: workspace.url, environment: env)
            #expect(synced.status == 0, "\(synced.stderr)")
            simulator.octoparse.pauseLive()
            #expect(simulator.octoparse.rowsAwaitingCommit(taskID: live) > 0)
            // The outage: longer than the look-back, so every window read ended more than a look-back ago.
            try await Task.sleep(for: .seconds(5))
            #expect(simulator.octoparse.rowsAwaitingCommit(taskID: live) == 0)
            let resumed = try await HarvestProcess.run(["tasks", "sync"] + flags, in: workspace.url, environment: env)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            try expectTablesMatch(workspace, simulator, tasks: [live])
        }
    }

    @Test func anUnknownTaskFailsWithTheMessageAndTheOthersContinue() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let unknown = "0badbad0-0000-4000-8000-000000000000"
            #expect(
                try await workspace.harvest(async: "tasks", "add", unknown, "--name", "Gone", environment: env).status
                    == 0
            )
            #expect(try await workspace.harvest(async: "tasks", "add", Self.nastyID, environment: env).status == 0)
            let served = try await serveUntilIdle(workspace, environment: env)
            #expect(served.status == 1)
            #expect(served.stderr.contains("task \(unknown) failed"))
            #expect(served.stderr.contains("taskid_error"))
            try expectTablesMatch(workspace, simulator, tasks: [Self.nastyID])
            let shown = try await workspace.harvest(async: "tasks", "show", unknown)
            #expect(shown.stdout.contains("failed"))
        }
    }

    @Test func theOtherModesStoreEveryRowOnceAcrossACrash() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let standard = simulator.octoparse.tasks().filter { $0.kind == .standard }.map(\.id)
            #expect(standard.count >= 3)
            let modes = [(standard[0], "offset"), (standard[1], "not-exported"), (standard[2], "last-run")]
            for (task, mode) in modes {
                let added = try HarvestProcess.runBlocking(
                    ["tasks", "add", task, "--mode", mode],
                    in: workspace.url,
                    environment: env
                )
                #expect(added.status == 0, "\(added.stderr)")
            }
            // Killed between storing a not-exported batch and confirming it upstream: the batch comes
            // back, is recognised, and is only confirmed.
            let crashed = try await serveUntilIdle(
                workspace,
                ["--lease", "1s"],
                environment: environment(endpoints, ["HARVEST_CRASHPOINT": "after-export-commit"])
            )
            #expect(crashed.status == SIGKILL)
            let restarted = try await serveUntilIdle(workspace, ["--lease", "1s"], environment: env)
            #expect(restarted.status == 0, "\(restarted.stderr)")
            try expectTablesMatch(workspace, simulator, tasks: [standard[0], standard[1]])
            try expectTablesMatch(workspace, simulator, tasks: [standard[2]], lastRun: true)
            // Syncing again finds nothing new to store.
            #expect(try await workspace.harvest(async: "tasks", "sync", environment: env).status == 0)
            try expectTablesMatch(workspace, simulator, tasks: [standard[0], standard[1]])
            try expectTablesMatch(workspace, simulator, tasks: [standard[2]], lastRun: true)
        }
    }

    @Test func theDestructiveQueueIsStoredBatchByBatch() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let task = simulator.octoparse.tasks().first { $0.kind == .standard }!.id
            let added = try await workspace.harvest(
                async: "tasks",
                "add",
                task,
                "--mode",
                "not-exported",
                "--destructive",
                environment: env
            )
            #expect(added.status == 0, "\(added.stderr)")
            #expect(try await workspace.harvest(async: "tasks", "sync", environment: env).status == 0)
            try expectTablesMatch(workspace, simulator, tasks: [task])
            #expect(simulator.octoparse.tasks().first { $0.id == task }?.exportedRows == 1_500)
        }
    }

    /// A server that reads `pageindex` as a row offset is refused in one line before any window of several
    /// rows is stored: nothing is stored twice, and the other modes still work on it.
    @Test func aServerReadingPageIndexAsARowOffsetIsRefusedAndNothingIsDoubled() async throws {
        try await HarvestSimulator.withRunning(configuration { $0.pageIndexReading = .offset }) {
            simulator,
            endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let standard = simulator.octoparse.tasks().first { $0.kind == .standard }!.id
            #expect(try await workspace.harvest(async: "tasks", "add", standard, environment: env).status == 0)
            let synced = try await workspace.harvest(async: "tasks", "sync", environment: env)
            #expect(synced.status == 1)
            #expect(synced.stderr.contains("pageindex as a row offset"), "\(synced.stderr)")
            #expect(synced.stderr.contains("--mode offset"))
            let stored = try storedRows(workspace, task: standard)
            let upstream = upstreamRows(simulator, task: standard)
            #expect(stored.allSatisfy { row, count in count <= upstream[row, default: 0] }, "a row was stored twice")
            #expect(
                try scalar(workspace, "SELECT count(*) FROM harvest_accounts WHERE page_index = 'offset'") == 1
            )
            let shown = try await workspace.harvest(async: "tasks", "show", standard)
            #expect(shown.stdout.contains("pageindex as a row offset"), "\(shown.stdout)")
        }
    }

    @Test func resetHarvestsTheSameRowsAgain() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let large = simulator.octoparse.tasks().first { $0.kind == .large }!.id
            #expect(try await workspace.harvest(async: "tasks", "add", large, environment: env).status == 0)
            #expect(try await workspace.harvest(async: "tasks", "sync", environment: env).status == 0)
            // From the start of the last window that holds rows: whatever the calendar date and however
            // the windows were sized, rows before it stay and its own go.
            let starts = try texts(
                workspace,
                "SELECT from_time FROM octoparse_windows WHERE task_id = ? AND rows_stored > 0 ORDER BY from_time",
                [large]
            )
            try #require(starts.count >= 2, "the 12,000 rows fit one window: nothing to keep before a reset")
            let from = starts.last!
            let reset = try await workspace.harvest(async: "tasks", "reset", large, "--from", from)
            #expect(reset.status == 0, "\(reset.stderr)")
            let remaining = try storedRows(workspace, task: large).values.reduce(0, +)
            #expect(remaining > 0 && remaining < 12_000, "\(reset.stdout)")
            let shown = try await workspace.harvest(async: "tasks", "show", large)
            #expect(shown.stdout.contains("cursor       \(from)"), "\(shown.stdout)")
            #expect(try await workspace.harvest(async: "tasks", "sync", environment: env).status == 0)
            try expectTablesMatch(workspace, simulator, tasks: [large])
        }
    }
}
