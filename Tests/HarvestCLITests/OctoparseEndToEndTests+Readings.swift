import Foundation
import HarvestCore
import HarvestSimulator
import Testing

/// The readings of what the Octoparse documents leave open (PROTOCOL.md, "Undocumented"), each a switch
/// of the fake: in each, every task's table still equals the fake's rows. See docs/ARCHITECTURE.md, "Every plausible reading".
extension OctoparseEndToEndTests {
    /// Answers without rows as `"data": null`: an empty page on every data call, so every mode catches up
    /// (before, each such answer was retried as malformed and no task ever did). Under either reading of
    /// what `total` counts: an empty answer then says nothing of it.
    @Test(arguments: TotalReading.allCases)
    func answersWithoutRowsAsNullDataAreEmptyPagesInEveryMode(total: TotalReading) async throws {
        let config = configuration {
            $0.emptyDataIsNull = true
            $0.totalReading = total
        }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let tasks = simulator.octoparse.tasks()
            let standard = tasks.filter { $0.kind == .standard }.map(\.id)
            let byTime = tasks.filter { [.large, .nasty, .empty].contains($0.kind) }.map(\.id)
            #expect(standard.count == 3 && byTime.count == 3)
            let modes = [(standard[0], "offset"), (standard[1], "not-exported"), (standard[2], "last-run")]
            for (task, mode) in byTime.map({ ($0, "by-time") }) + modes {
                let added = try await workspace.harvest(async: "tasks", "add", task, "--mode", mode, environment: env)
                #expect(added.status == 0, "\(added.stderr)")
            }
            let served = try await serveUntilIdle(workspace, environment: env)
            #expect(served.status == 0, "\(served.stderr)")
            #expect(simulator.octoparse.stats.count("data.null") > 0)
            try expectTablesMatch(workspace, simulator, tasks: byTime + [standard[0], standard[1]])
            try expectTablesMatch(workspace, simulator, tasks: [standard[2]], lastRun: true)
            // Syncing again meets only empty answers, and stores nothing.
            let again = try await workspace.harvest(async: "tasks", "sync", environment: env)
            #expect(again.status == 0, "\(again.stderr)")
            try expectTablesMatch(workspace, simulator, tasks: byTime + [standard[0], standard[1]])
        }
    }

    /// Task ids in the seed's style (`taskid1`, `1234ABCD`) instead of GUIDs: added as typed, sent as typed
    /// (the fake matches them exactly, case included), discovered, and harvested into safe table names.
    @Test func seedStyleTaskIDsAreAddedDiscoveredAndHarvested() async throws {
        try await HarvestSimulator.withRunning(configuration { $0.seedStyleTaskIDs = true }) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let tasks = simulator.octoparse.tasks()
            #expect(tasks.contains { $0.id == "taskid1" })
            let nameless = try #require(tasks.first { $0.name.isEmpty }).id
            #expect(nameless.count == 8 && nameless == nameless.uppercased(), "\(nameless)")
            let added = try await workspace.harvest(async: "tasks", "add", "taskid1", environment: env)
            #expect(added.status == 0, "\(added.stderr)")
            let hex = try await workspace.harvest(async: "tasks", "add", "{\(nameless)}", environment: env)
            #expect(hex.status == 0, "\(hex.stderr)")
            #expect(hex.stdout.contains("task \(nameless) added; its rows go to table data_\(nameless.lowercased())"))
            let discovered = try await workspace.harvest(async: "tasks", "discover", "--enable", environment: env)
            #expect(discovered.status == 0, "\(discovered.stderr)")
            let served = try await serveUntilIdle(workspace, environment: env)
            #expect(served.status == 0, "\(served.stderr)")
            #expect(simulator.octoparse.stats.count("taskid_error") == 0)
            try expectTablesMatch(workspace, simulator)
            let shown = try await workspace.harvest(async: "tasks", "show", "taskid1")
            #expect(shown.status == 0 && shown.stdout.contains("taskid1"), "\(shown.stderr)")
        }
    }

    /// The seed's hosts speak http; Harvest's default is https. A server that speaks http, addressed with
    /// https, fails the handshake: `tasks discover` says so in one line naming the setting and the URL
    /// that works, never the password. A by-time host of its own is used for the by-time call only.
    @Test func aSchemeOrHostThatCannotBeReachedNamesTheSettingInOneLine() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let plain = endpoints.octoparseBaseURL
            let secure = "https://" + plain.dropFirst("http://".count)
            let refused = try await workspace.harvest(
                async: "tasks",
                "discover",
                environment: environment(endpoints, ["OCTOPARSE_BASE_URL": secure])
            )
            #expect(refused.status == 1)
            // After the retries' warnings, the error.
            #expect(
                refused.stderr.split(separator: "\n").last.map(String.init)
                    == "harvest: error: Octoparse call failed: POST /token: cannot reach \(secure): "
                    + "TLS handshake failed; if the account's server speaks http, set OCTOPARSE_BASE_URL=\(plain)",
                "\(refused.stderr)"
            )
            #expect(!refused.stderr.contains("p&ss"))

            // The by-time call alone goes to OCTOPARSE_BY_TIME_BASE_URL: discovering works, syncing names it.
            let env = environment(endpoints, ["OCTOPARSE_BY_TIME_BASE_URL": secure])
            let discovered = try await workspace.harvest(async: "tasks", "discover", environment: env)
            #expect(discovered.status == 0, "\(discovered.stderr)")
            #expect(try await workspace.harvest(async: "tasks", "add", Self.nastyID, environment: env).status == 0)
            let synced = try await workspace.harvest(async: "tasks", "sync", environment: env)
            #expect(synced.status == 1)
            #expect(
                synced.stderr.contains(
                    "cannot reach \(secure): TLS handshake failed; if the account's server "
                        + "speaks http, set OCTOPARSE_BY_TIME_BASE_URL=\(plain)"
                ),
                "\(synced.stderr)"
            )
            #expect(simulator.octoparse.stats.count("GET /api/alldata/GetDataOfTaskByTimeAndPaging") == 0)
            // Pointed at the server as it speaks, the same task is harvested whole.
            let fixed = environment(endpoints, ["OCTOPARSE_BY_TIME_BASE_URL": plain + "/"])
            #expect(try await workspace.harvest(async: "tasks", "sync", environment: fixed).status == 0)
            try expectTablesMatch(workspace, simulator, tasks: [Self.nastyID])
        }
    }
}
