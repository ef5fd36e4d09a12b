import Foundation
import Testing

private let task = "6a1b2c3d-4e5f-6789-abcd-ef0123456789"

/// Every bad input: exit status 2, one line on stderr naming the bad value, and the database unchanged.
@Suite struct BadInputTests {
    static let cases: [(arguments: [String], names: String)] = [
        (["jobs", "submit", "--source", "Bad Source", "--url", "https://a.com"], "\"Bad Source\""),
        (["jobs", "submit", "--source", "universal"], "\"url\" or \"query\""),
        (["jobs", "submit", "--source", "universal", "--url", "not-a-url"], "\"not-a-url\""),
        (["jobs", "submit", "--source", "universal", "--url", "ftp://a.com"], "\"ftp://a.com\""),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--query", "q"], "not both"),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "render=pdf"], "\"pdf\""),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "noequals"], "\"noequals\""),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "context=[{"], "context"),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "pages=0"], "\"pages\""),
        (
            ["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "callback_url=https://x"],
            "callback_url"
        ),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--results", "raw,jpg"], "\"jpg\""),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--results", "parsed"], "parsed"),
        (
            ["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--idempotency-key", ""],
            "--idempotency-key"
        ),
        (["jobs", "submit", "--file", "missing.jsonl"], "missing.jsonl"),
        (["jobs", "submit", "--file", "bad.jsonl"], "line 3"),
        (["jobs", "submit", "--file", "empty.jsonl"], "no jobs"),
        (["jobs", "submit", "--file", "bad.jsonl", "--source", "universal"], "--file"),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--frobnicate"], "--frobnicate"),
        (["jobs", "list", "--status", "lost"], "\"lost\""),
        (["jobs", "list", "--limit", "0"], "--limit 0"),
        (["jobs", "list", "--limit", "many"], "many"),
        (["jobs", "show", "999"], "999"),
        (["jobs", "show", "abc"], "abc"),
        (["jobs", "show", "0"], "0"),
        (["jobs", "cancel", "999"], "999"),
        (["jobs", "cancel", "1"], "job 1 is cancelled"),
        (["tasks", "add", "not a task id"], "\"not a task id\""),
        (["tasks", "add", "taskid1;DROP"], "\"taskid1;DROP\""),
        (["tasks", "add", "../etc/passwd"], "\"../etc/passwd\""),
        (["tasks", "add", "x\u{1B}[2J"], #""x\u{1b}[2J""#),
        (["tasks", "add", String(repeating: "a", count: 65)], "at most 64"),
        (["tasks", "add", "_"], "\"_\""),
        (["tasks", "add", task, "--from", "yesterday"], "\"yesterday\""),
        (["tasks", "add", task, "--from", "2026-02-30 00:00:00"], "\"2026-02-30 00:00:00\""),
        (["tasks", "add", task, "--every", "5x"], "\"5x\""),
        (["tasks", "add", task, "--mode", "weird"], "\"weird\""),
        (["tasks", "add", task, "--destructive"], "--destructive"),
        (["tasks", "add", "11111111-4e5f-6789-abcd-ef0123456789"], "already registered"),
        (["tasks", "show", "nope"], "\"nope\""),
        (["tasks", "show", task], task),
        (["tasks", "discover"], "OCTOPARSE_USERNAME"),
        (["tasks", "sync"], "OCTOPARSE_USERNAME"),
        (["tasks", "sync", "no/pe"], "\"no/pe\""),
        (["tasks", "sync", "--safety-lag", "soon"], "\"soon\""),
        (["tasks", "sync", "--octoparse-rate", "0"], "--octoparse-rate"),
        (["tasks", "sync", "--task-concurrency", "0"], "--task-concurrency"),
        (["tasks", "sync", "--lease", "0s"], "--lease"),
        (["tasks", "reset", "11111111-4e5f-6789-abcd-ef0123456789", "--from", "yesterday"], "\"yesterday\""),
        (["tasks", "reset", "11111111-4e5f-6789-abcd-ef0123456789"], "--from"),
        (["tasks", "reset", task, "--from", "2026-01-01"], task),
        (["tasks", "reset", "nope", "--from", "2026-01-01"], "\"nope\""),
        (["serve", "--look-back", "forever"], "\"forever\""),
        (["serve"], "OCTOPARSE_USERNAME"),
        (["serve", "--log-format", "xml"], "--log-format \"xml\": expected one of logfmt, json"),
        (["serve", "--log-level", "loud"], "--log-level \"loud\": expected one of trace, debug, info, notice"),
        (["tasks", "sync", "--log-format", ""], "--log-format \"\""),
        (["tasks", "sync", "--log-level", "verbose"], "--log-level \"verbose\""),
        (["query", "DELETE FROM oxylabs_jobs"], "oxylabs_jobs"),
        (["query", "UPDATE oxylabs_jobs SET status = 'done'"], "oxylabs_jobs"),
        (["query", "DROP TABLE oxylabs_jobs"], "refused"),
        (["query", "ATTACH DATABASE 'x.sqlite' AS x"], "ATTACH"),
        (["query", "PRAGMA user_version = 3"], "user_version"),
        (["query", "SELECT * FROM harvest_tokens"], "harvest_tokens"),
        (["query", "SELECT * FROM no_such_table"], "no_such_table"),
        (["query", "SELECT 1", "--json", "--csv"], "--json"),
        (["nonsense"], "nonsense"),
        (["prune"], "--results-older-than"),
        (["prune", "--results-older-than", "30 days"], "\"30 days\""),
        (["prune", "--results-older-than", "400d"], "\"400d\""),
        (["backup", "bad.jsonl"], "bad.jsonl: the file exists"),
        (["backup", "no/such/dir/copy.sqlite"], "no/such/dir/copy.sqlite"),
    ]

    @Test(arguments: cases)
    func exitsTwoNamesTheValueAndWritesNothing(arguments: [String], names: String) throws {
        let workspace = try Workspace()
        try workspace.harvest("jobs", "submit", "--source", "universal", "--url", "https://a.com")
        try workspace.harvest("jobs", "cancel", "1")
        try workspace.harvest("tasks", "add", "11111111-4e5f-6789-abcd-ef0123456789", "--name", "Existing")
        _ = try workspace.write(
            "bad.jsonl",
            """
            {"source":"universal","url":"https://a.com/1"}
            {"source":"universal","url":"https://a.com/2"}
            {"source":"universal","url":"https://a.com/3","render":"gif"}
            {"source":"universal","url":"https://a.com/4"}
            """
        )
        _ = try workspace.write("empty.jsonl", "\n\n")
        let before = try workspace.fingerprint()

        // No account in the environment: the commands that need one must say so.
        let result = try HarvestProcess.runBlocking(
            arguments,
            in: workspace.url,
            environment: ["OCTOPARSE_USERNAME": "", "OXYLABS_USERNAME": ""]
        )

        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments) printed \(result.stderr)")
        #expect(result.stderr.hasPrefix("harvest: error: "), "\(result.stderr)")
        #expect(result.stderr.contains(names), "\(arguments): \(result.stderr) does not name \(names)")
        #expect(result.stdout.isEmpty)
        #expect(try workspace.fingerprint() == before, "\(arguments) changed the database")
    }

    @Test(arguments: [
        ["jobs", "submit", "--source", "universal", "--url", "nope"],
        ["jobs", "submit", "--file", "missing.jsonl"],
        ["tasks", "add", "not a task id"],
        ["jobs", "list", "--status", "lost"],
    ])
    func badInputCreatesNoDatabase(arguments: [String]) throws {
        let workspace = try Workspace()
        let result = try HarvestProcess.runBlocking(arguments, in: workspace.url)
        #expect(result.status == 2)
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test func aBadTimezoneIsNamed() throws {
        let workspace = try Workspace()
        let result = try workspace.harvest(
            "tasks",
            "add",
            task,
            "--from",
            "2026-01-01 00:00:00",
            environment: ["OCTOPARSE_TIMEZONE": "Mars/Base"]
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains("OCTOPARSE_TIMEZONE"))
        #expect(result.stderr.contains("Mars/Base"))
    }
}
