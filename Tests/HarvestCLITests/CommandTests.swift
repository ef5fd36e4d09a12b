import Foundation
import Testing

private func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

@Suite struct CommandTests {
    @Test func theBinaryMigratesANewDatabaseFromAnyDirectory() throws {
        let workspace = try Workspace()
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("migrations").path))
        let first = try workspace.harvest("migrate")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("applied 0001_initial.sql\napplied 0002_"))
        let second = try workspace.harvest("migrate")
        #expect(second.stdout.contains("up to date"))
        let tables = try workspace.harvest(
            "query",
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'oxylabs_jobs'",
            "--csv"
        )
        #expect(tables.stdout == "n\r\n1\r\n")
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.database)[.posixPermissions] as! NSNumber
        #expect(mode.intValue == 0o600)
    }

    @Test func dbFlagBeatsEnvironmentBeatsDefault() throws {
        let workspace = try Workspace()
        try workspace.harvest("migrate", environment: ["HARVEST_DB": "env.sqlite"])
        try workspace.harvest("migrate", "--db", "flag.sqlite", environment: ["HARVEST_DB": "env.sqlite"])
        let files = Set(
            try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter { $0.hasSuffix(".sqlite") }
        )
        #expect(files == ["env.sqlite", "flag.sqlite"])
    }

    @Test func submitPrintsIDsAndTheJobIsStoredAsGiven() throws {
        let workspace = try Workspace()
        let first = try workspace.harvest(
            "jobs",
            "submit",
            "--source",
            "google_search",
            "--query",
            "adidas shoes",
            "--param",
            "parse=true",
            "--param",
            "geo_location=United States",
            "--param",
            "pages=2"
        )
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "1\n")
        let shown = try workspace.harvest("jobs", "show", "1", "--json")
        let object = try json(shown.stdout) as! [String: Any]
        let job = object["job"] as! [String: Any]
        #expect(job["status"] as? String == "queued")
        #expect(job["query"] as? String == "adidas shoes")
        #expect(job["result_types"] as? [String] == ["parsed"])
        let payload = job["payload"] as! [String: Any]
        #expect(payload["parse"] as? Bool == true)
        #expect(payload["pages"] as? Int == 2)
        #expect(payload["geo_location"] as? String == "United States")
    }

    @Test func anIdempotencyKeyMakesARetryReturnTheSameJob() throws {
        let workspace = try Workspace()
        let arguments = [
            "jobs", "submit", "--source", "universal", "--url", "https://a.com", "--idempotency-key", "order-17",
        ]
        let first = try HarvestProcess.runBlocking(arguments, in: workspace.url)
        let second = try HarvestProcess.runBlocking(arguments, in: workspace.url)
        #expect(first.stdout == "1\n")
        #expect(second.status == 0)
        #expect(second.stdout == "1\n")
        #expect(second.stderr.contains("already existed"))
        let count = try workspace.harvest("query", "SELECT COUNT(*) FROM oxylabs_jobs", "--csv")
        #expect(count.stdout.hasSuffix("\r\n1\r\n"))
    }

    @Test func aFileIsQueuedWholeAndIdempotentPerLine() throws {
        let workspace = try Workspace()
        let file = try workspace.write(
            "jobs.jsonl",
            """
            {"source":"universal","url":"https://a.com/1"}

            {"source":"google_search","query":"shoes","parse":true}
            {"source":"universal","url":"https://a.com/3","render":"png"}
            """
        )
        let first = try workspace.harvest("jobs", "submit", "--file", file, "--idempotency-key", "batch-1")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "1\n2\n3\n")
        let again = try workspace.harvest("jobs", "submit", "--file", file, "--idempotency-key", "batch-1", "--json")
        let entries = try json(again.stdout) as! [[String: Any]]
        #expect(entries.map { $0["id"] as? Int } == [1, 2, 3])
        #expect(entries.allSatisfy { $0["created"] as? Bool == false })
        let types = try workspace.harvest("query", "SELECT result_types FROM oxylabs_jobs ORDER BY id", "--csv")
        #expect(types.stdout == "result_types\r\nraw\r\nparsed\r\npng\r\n")
        let stdin = try workspace.harvest(
            "jobs",
            "submit",
            "--file",
            "-",
            stdin: Data(#"{"source":"universal","url":"https://b.com"}"#.utf8)
        )
        #expect(stdin.stdout == "4\n")
    }

    @Test func listShowCancelAndStatus() throws {
        let workspace = try Workspace()
        for index in 1...3 {
            try workspace.harvest("jobs", "submit", "--source", "universal", "--url", "https://a.com/\(index)")
        }
        let cancelled = try workspace.harvest("jobs", "cancel", "2")
        #expect(cancelled.stdout == "job 2 cancelled\n")
        let list = try workspace.harvest("jobs", "list", "--json")
        let jobs = try json(list.stdout) as! [[String: Any]]
        #expect(jobs.map { $0["id"] as? Int } == [3, 2, 1])
        #expect(jobs.map { $0["status"] as? String } == ["queued", "cancelled", "queued"])
        let filtered = try workspace.harvest("jobs", "list", "--status", "cancelled")
        #expect(filtered.stdout.split(separator: "\n").count == 2)  // header + one job
        let status = try json(try workspace.harvest("status", "--json").stdout) as! [String: Any]
        let counts = status["jobs"] as! [String: Int]
        #expect(counts["queued"] == 2)
        #expect(counts["cancelled"] == 1)
        let human = try workspace.harvest("status")
        #expect(human.stdout.contains("queued 2"))
        let history = try workspace.harvest("jobs", "show", "2")
        #expect(history.stdout.contains("cancelled by the user"))
    }

    @Test func tasksAreRegisteredAndShown() throws {
        let workspace = try Workspace()
        let id = "6A1B2C3D-4E5F-6789-ABCD-EF0123456789"
        let added = try workspace.harvest(
            "tasks",
            "add",
            id,
            "--name",
            "Prices EU",
            "--from",
            "2026-11-01 08:00:00",
            "--every",
            "10m"
        )
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("data_prices_eu"))
        let shown = try json(try workspace.harvest("tasks", "show", id.lowercased(), "--json").stdout) as! [String: Any]
        #expect(shown["start_from"] as? String == "2026-11-01T00:00:00.000Z")
        #expect(shown["sync_every"] as? Int == 600)
        #expect(shown["table_name"] as? String == "data_prices_eu")
        let utc = try workspace.harvest(
            "tasks",
            "add",
            "11111111-4e5f-6789-abcd-ef0123456789",
            "--from",
            "2026-11-01 08:00:00",
            "--json",
            environment: ["OCTOPARSE_TIMEZONE": "UTC"]
        )
        #expect((try json(utc.stdout) as! [String: Any])["start_from"] as? String == "2026-11-01T08:00:00.000Z")
        let list = try workspace.harvest("tasks", "list")
        #expect(list.stdout.contains("Prices EU"))
        #expect(list.stdout.contains("data_11111111"))
    }

    @Test func queryOutputFollowsRFC4180AndJSON() throws {
        let workspace = try Workspace()
        try workspace.harvest("migrate")
        let sql =
            #"SELECT 1 AS n, 'a,b' AS comma, 'say "hi"' AS quote, 'line1'||char(10)||'line2' AS newline, NULL AS absent, 2.5 AS real"#
        let csv = try workspace.harvest("query", sql, "--csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(
            csv.stdout == "n,comma,quote,newline,absent,real\r\n1,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",,2.5\r\n"
        )
        let output = try workspace.harvest("query", sql, "--json")
        let rows = try json(output.stdout) as! [[String: Any]]
        #expect(rows.count == 1)
        #expect(rows[0]["quote"] as? String == "say \"hi\"")
        #expect(rows[0]["newline"] as? String == "line1\nline2")
        #expect(rows[0]["absent"] is NSNull)
        #expect(rows[0]["real"] as? Double == 2.5)
        let empty = try workspace.harvest("query", "SELECT 1 WHERE 0", "--json")
        #expect(try json(empty.stdout) as? [Any] != nil)
    }

    /// Found by fuzzing `SQLIdentifier.quoted`, which had the same fault: a combining mark (U+0301) after a
    /// comma or a quote makes one character of the two, and a comparison of characters missed them.
    @Test func csvQuotesCommasAndQuotesThatCombiningMarksFollow() throws {
        let workspace = try Workspace()
        try workspace.harvest("migrate")
        let csv = try workspace.harvest(
            "query",
            #"SELECT 'a,'||char(769)||'b' AS c, 'x"'||char(769)||'y' AS q"#,
            "--csv"
        )
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == "c,q\r\n\"a,\u{301}b\",\"x\"\"\u{301}y\"\r\n")
    }

    @Test func queryNeverCreatesADatabase() throws {
        let workspace = try Workspace()
        let result = try workspace.harvest("query", "SELECT 1")
        #expect(result.status == 1)
        #expect(result.stderr.contains("harvest.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }
}

@Suite struct DemoTests {
    @Test func theDemoHarvestsEverythingAndAnswersItsThreeQueries() async throws {
        let workspace = try Workspace()
        let demo = try await workspace.harvest(async: "demo", "--large-task-rows", "20000")
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("8/8 jobs final"))
        #expect(demo.stdout.contains("6/6 tasks caught up"))
        #expect(demo.stdout.contains("Result 1 for adidas shoes"))
        #expect(demo.stdout.contains("avg_high_f"))
        #expect(demo.stdout.components(separatedBy: "\n$ harvest query").count == 4)
        // The demo's database is an ordinary one: every job final, the nasty task harvested.
        let jobs = try workspace.harvest(
            "query",
            "SELECT COUNT(*) FROM oxylabs_jobs WHERE status IN ('done', 'faulted')",
            "--csv",
            "--db",
            "demo.sqlite"
        )
        #expect(jobs.stdout == "COUNT(*)\r\n8\r\n")
        let nasty = try workspace.harvest(
            "query",
            "SELECT COUNT(*) FROM data_nasty_fields",
            "--csv",
            "--db",
            "demo.sqlite"
        )
        #expect(nasty.status == 0)
        #expect(nasty.stdout != "COUNT(*)\r\n0\r\n")
        // A database the demo did not make is never replaced.
        #expect(try workspace.harvest("migrate").status == 0)
        let refused = try await workspace.harvest(async: "demo", "--db", "harvest.sqlite")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("was not made by harvest demo"))
        #expect(FileManager.default.fileExists(atPath: workspace.database))
    }
}
