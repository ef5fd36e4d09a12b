import Foundation
import GRDB
import HarvestSimulator
import Testing

/// `harvest serve` as operators drive it: signals, grace periods and start-up refusals.
@Suite(.serialized) struct LifecycleTests {
    private static let largeTask = "3e1d1b1a-0000-4000-8000-00000000000b"

    private func environment(_ endpoints: SimulatorEndpoints) -> [String: String] {
        [
            "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
            "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL, "OCTOPARSE_USERNAME": "harvest-demo",
            "OCTOPARSE_PASSWORD": "p&ss+w%rd 1",
        ]
    }

    private func submit(_ workspace: Workspace, count: Int) throws {
        let lines = (0..<count).map { #"{"source":"universal","url":"https://example.com/\#($0)"}"# }
        let file = try workspace.write("jobs.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(try workspace.harvest("jobs", "submit", "--file", file).status == 0)
    }

    private func scalar(_ workspace: Workspace, _ sql: String) throws -> Int {
        try DatabaseQueue(path: workspace.database).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Windows whose recorded row count differs from the rows their task's table holds for them.
    private func inconsistentWindows(_ workspace: Workspace) throws -> [String] {
        try DatabaseQueue(path: workspace.database).read { db in
            var problems: [String] = []
            let tasks = try Row.fetchAll(
                db,
                sql: "SELECT task_id, table_name FROM octoparse_tasks WHERE table_name IS NOT NULL"
            )
            for task in tasks {
                let table: String = task["table_name"]
                guard try db.tableExists(table) else { continue }
                let stored = Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(
                        db,
                        sql:
                            "SELECT _storage_window AS id, COUNT(*) AS n FROM \(table.quotedDatabaseIdentifier) GROUP BY 1"
                    ).map { ($0["id"] as Int64, $0["n"] as Int) }
                )
                for window in try Row.fetchAll(
                    db,
                    sql: "SELECT id, rows_stored FROM octoparse_windows WHERE task_id = ?",
                    arguments: [task["task_id"] as String]
                ) where stored[window["id"] as Int64, default: 0] != window["rows_stored"] as Int {
                    problems.append("window \(window["id"] as Int64): recorded \(window["rows_stored"] as Int)")
                }
            }
            return problems
        }
    }

    @Test func sigtermDuringABusyRunLeavesNothingHalfDoneOrLeasedAndARestartFinishes() async throws {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(800)
        configuration.oxylabs.submissionsPerSecond = 30
        configuration.octoparse.rowsPerTask = 1_500
        configuration.octoparse.largeTaskRows = 120_000
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 150)
            let env = environment(endpoints)
            #expect(try await workspace.harvest(async: "tasks", "discover", "--enable", environment: env).status == 0)
            let service = try ServiceProcess(workspace, ["--octoparse-rate", "40"], environment: env)
            try await eventually("the run is busy") {
                try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") >= 10
                    && scalar(workspace, "SELECT COALESCE(SUM(rows_stored), 0) FROM octoparse_windows") > 0
            }
            let openBefore = try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status != 'done'")
            service.signal(SIGTERM)
            #expect(await service.exitStatus(within: .seconds(60)) == 0, "\(service.stderr)")
            #expect(openBefore > 0, "the run was not busy when it was stopped")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM harvest_leases") == 0)
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE lease_owner IS NOT NULL") == 0)
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'submitting'") == 0)
            #expect(
                try scalar(
                    workspace,
                    "SELECT COUNT(*) FROM oxylabs_jobs j WHERE status = 'done' AND NOT EXISTS (SELECT 1 FROM oxylabs_results r WHERE r.job_id = j.id)"
                ) == 0
            )
            #expect(try inconsistentWindows(workspace) == [])

            let finished = try await HarvestProcess.run(
                ["serve", "--until-idle", "--listen", "127.0.0.1:0", "--octoparse-rate", "5000"],
                in: workspace.url,
                environment: env
            )
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") == 150)
            #expect(try scalar(workspace, "SELECT COALESCE(SUM(resubmissions), 0) FROM oxylabs_jobs") == 0)
            #expect(try inconsistentWindows(workspace) == [])
            for task in simulator.octoparse.tasks() {
                let table = try await DatabaseQueue(path: workspace.database).read { db in
                    try String.fetchOne(
                        db,
                        sql: "SELECT table_name FROM octoparse_tasks WHERE task_id = ?",
                        arguments: [task.id]
                    )
                }
                let upstream = simulator.octoparse.rows(taskID: task.id)?.count ?? 0
                let stored =
                    try table.map { try scalar(workspace, "SELECT COUNT(*) FROM \($0.quotedDatabaseIdentifier)") } ?? 0
                #expect(stored == upstream, "task \(task.id)")
            }
        }
    }

    /// A simulator whose every Oxylabs answer takes 10 seconds: a submit is in flight when the signal comes.
    private func slowOxylabs() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.faults = .init(slowResponse: 1, slowDelay: .seconds(10))
        return configuration
    }

    @Test func aSecondSignalExitsAtOnce() async throws {
        try await HarvestSimulator.withRunning(slowOxylabs()) { _, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 1)
            var env = environment(endpoints)
            env["OCTOPARSE_USERNAME"] = nil
            let service = try ServiceProcess(workspace, ["--shutdown-grace", "5m"], environment: env)
            try await eventually("a submit is in flight") {
                try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'submitting'") == 1
            }
            service.signal(SIGTERM)
            // The submit in flight may take its time: the first signal waits for it.
            #expect(await service.exitStatus(within: .seconds(1)) == nil)
            service.signal(SIGTERM)
            let status = await service.exitStatus(within: .seconds(10))
            #expect(
                status == 1,
                "exit status \(String(describing: status)), reason \(service.process.terminationReason.rawValue)"
            )
            #expect(service.stderr.contains("exiting at once"), "\(service.stderr)")
        }
    }

    @Test func whenTheGraceRunsOutRequestsAreCutOffAndTheServiceStillExits() async throws {
        try await HarvestSimulator.withRunning(slowOxylabs()) { _, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 1)
            var env = environment(endpoints)
            env["OCTOPARSE_USERNAME"] = nil
            let service = try ServiceProcess(workspace, ["--shutdown-grace", "1s"], environment: env)
            try await eventually("a submit is in flight") {
                try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'submitting'") == 1
            }
            let start = ContinuousClock.now
            service.signal(SIGTERM)
            #expect(await service.exitStatus(within: .seconds(30)) == 0, "\(service.stderr)")
            // Before the request in flight (10 s) could have finished: it was cut off.
            #expect(ContinuousClock.now - start < .seconds(9))
            // The submit's answer never came: the job stays `submitting` and is sent again on the next start.
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'submitting'") == 1)
        }
    }

    @Test func aTakenAddressIsRefusedInOneLine() async throws {
        let workspace = try Workspace()
        let holder = try ServiceProcess(
            workspace,
            environment: [
                "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1", "OXYLABS_BASE_URL": "http://127.0.0.1:9",
            ]
        )
        try await eventually("the first service listens") { await holder.get("/healthz")?.status == 200 }
        let other = try Workspace()
        let refused = try await other.harvest(
            async: "serve",
            "--listen",
            "127.0.0.1:\(holder.port)",
            environment: [
                "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1", "OXYLABS_BASE_URL": "http://127.0.0.1:9",
            ]
        )
        #expect(refused.status == 1)
        #expect(refused.stderr == "harvest: error: cannot listen on 127.0.0.1:\(holder.port): the address is in use\n")
        holder.signal(SIGTERM)
        #expect(await holder.exitStatus(within: .seconds(30)) == 0)
    }

    @Test func aDatabaseThatCannotOpenOrWasTamperedWithIsRefusedInOneLine() throws {
        let workspace = try Workspace()
        let env = ["OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1", "OXYLABS_BASE_URL": "http://127.0.0.1:9"]
        let missing = try workspace.harvest("serve", "--db", "no/such/dir/harvest.sqlite", environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("harvest: error: "))
        #expect(missing.stderr.contains("no/such/dir/harvest.sqlite"))
        #expect(missing.stderr.split(separator: "\n").count == 1)

        #expect(try workspace.harvest("migrate").status == 0)
        try DatabaseQueue(path: workspace.database).write { db in
            try db.execute(sql: "UPDATE harvest_migrations SET checksum = 'x' WHERE file_name = '0001_initial.sql'")
        }
        let tampered = try workspace.harvest("serve", environment: env)
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("0001_initial.sql"))
        #expect(tampered.stderr.split(separator: "\n").count == 1)
    }
}
