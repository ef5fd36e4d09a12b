import Foundation
import GRDB
import Testing

/// The hostile-input corpus of the CLI: every case exits 2 with one line on stderr and leaves the
/// database as it was. The files are written byte by byte: invalid UTF-8, NUL bytes, a 2 MiB line,
/// nesting 5,000 deep, a config file with control characters.
@Suite struct HostileInputTests {
    static let files: [String: [UInt8]] = [
        "huge.jsonl": Array(#"{"source":"universal","url":"https://a.com/"#.utf8)
            + Array(repeating: 0x78, count: 2 << 20)
            + Array("\"}\n".utf8),
        "utf8.jsonl": Array(#"{"source":"universal","url":"https://a.com/"#.utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8),
        "nul.jsonl": Array(#"{"source":"universal","url":"https://a.com/"#.utf8) + [0] + Array("\"}\n".utf8),
        "escaped-nul.jsonl": Array(#"{"source":"universal","url":"https://a.com/\u0000"}"#.utf8) + [0x0A],
        "deep.jsonl": Array(#"{"source":"universal","url":"https://a.com/","context":"#.utf8)
            + Array(repeating: UInt8(ascii: "["), count: 5_000) + Array(repeating: UInt8(ascii: "]"), count: 5_000)
            + Array("}\n".utf8),
        "numbers.jsonl": Array(#"{"source":"universal","url":"https://a.com/","pages":1e400}"#.utf8) + [0x0A],
        "config-nul.toml": Array("[http]\nlisten = \"127.0.0.1:1".utf8) + [0] + Array("\"\n".utf8),
        "config-utf8.toml": Array("[http]\nlisten = \"".utf8) + [0xFF] + Array("\"\n".utf8),
        "config-deep.toml": Array("[http]\nlisten = ".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000),
    ]

    static let cases: [(arguments: [String], names: String)] = [
        (["jobs", "list", "--limit", "-1"], "--limit"),
        (["jobs", "list", "--limit", "99999999999999999999"], "99999999999999999999"),
        (["jobs", "show", "-5"], "<id>"),
        (["jobs", "show", "99999999999999999999"], "99999999999999999999"),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "pages=-1"], "-1"),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com", "--param", "pages=1e400"], "1e400"),
        (["jobs", "submit", "--source", "universal", "--url", "https://a.com/\u{7}"], "\\u{7}"),
        (["jobs", "submit", "--source", String(repeating: "s", count: 100_000), "--url", "https://a.com"], "…"),
        (["jobs", "submit", "--file", "huge.jsonl"], "line 1: longer than"),
        (["jobs", "submit", "--file", "utf8.jsonl"], "line 1: not valid UTF-8"),
        (["jobs", "submit", "--file", "nul.jsonl"], "line 1: contains a NUL byte"),
        (["jobs", "submit", "--file", "escaped-nul.jsonl"], "line 1: bad url"),
        (["jobs", "submit", "--file", "deep.jsonl"], "nested deeper than 256 levels"),
        (["jobs", "submit", "--file", "numbers.jsonl"], "line 1: not valid JSON (number out of range"),
        (["jobs", "submit", "--file", "/dev/null"], "no jobs"),
        (["jobs", "submit", "--file", "."], "--file"),
        (["jobs", "results", "2", "--output", "."], "--output \".\" exists"),
        (["jobs", "results", "2", "--output", "no/such/dir/page.html"], "its directory does not exist"),
        (["jobs", "results", "2", "--output", "existing.html"], "add --force"),
        (["jobs", "results", "2", "--output", "/proc/version", "--force"], "cannot write --output"),
        (["tasks", "add", "6a1b2c3d-4e5f-6789-abcd-ef0123456789", "--every", "-5m"], "--every"),
        (["tasks", "add", "6a1b2c3d-4e5f-6789-abcd-ef0123456789", "--from", "99999-01-01"], "99999-01-01"),
        (["prune", "--results-older-than", "-1d"], "--results-older-than"),
        (["prune", "--results-older-than", "1e400d"], "1e400d"),
        (["serve", "--poll-concurrency", "99999999999999999999"], "--poll-concurrency"),
        (["serve", "--octoparse-rate", "1e309"], "--octoparse-rate"),
        (["serve", "--initial-rate", "nan"], "--initial-rate \"nan\""),
        (["serve", "--lease", "1e400s"], "--lease \"1e400s\""),
        (["serve", "--listen", "127.0.0.1:99999"], "--listen \"127.0.0.1:99999\""),
        (["serve", "--public-url", "javascript:alert(1)"], "--public-url"),
        (["config", "show", "--config", "config-nul.toml"], "line 2: a control character in a string"),
        (["config", "show", "--config", "config-utf8.toml"], "config-utf8.toml: the file is not UTF-8 text"),
        (["config", "show", "--config", "config-deep.toml"], "arrays and inline tables are not supported"),
        (["config", "show", "--config", "/dev/zero"], "/dev/zero"),
        (["config", "show", "--config", "."], "cannot read config file"),
        (["query", String(repeating: "SELECT 1 UNION ALL ", count: 5_000) + "SELECT 1"], "too many terms"),
    ]

    @Test(arguments: cases)
    func isRefusedInOneLineAndChangesNothing(arguments: [String], names: String) throws {
        let workspace = try Workspace()
        for (name, bytes) in Self.files { try Data(bytes).write(to: workspace.url.appendingPathComponent(name)) }
        _ = try workspace.write("existing.html", "keep me")
        try workspace.harvest("jobs", "submit", "--source", "universal", "--url", "https://a.com")
        try workspace.harvest("jobs", "submit", "--source", "universal", "--url", "https://b.com")
        // Job 2 has a stored page, as if the service had fetched it.
        try DatabaseQueue(path: workspace.database).write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET status = 'done' WHERE id = 2;
                    INSERT INTO oxylabs_results (job_id, type, page, status_code, url, content, bytes, fetched_at)
                    VALUES (2, 'raw', 1, 200, 'https://b.com', '<html>b</html>', 14, '2026-11-27T00:00:00.000Z');
                    """
            )
        }
        let before = try workspace.fingerprint()

        let result = try HarvestProcess.runBlocking(
            arguments,
            in: workspace.url,
            environment: ["OCTOPARSE_USERNAME": "", "OXYLABS_USERNAME": "u", "OXYLABS_PASSWORD": "p"]
        )

        let shown = arguments.map { $0.count > 60 ? "\($0.prefix(60))…" : $0 }
        #expect(result.status == 2, "\(shown): \(result.stderr.prefix(300))")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(shown) printed \(result.stderr.prefix(300))")
        #expect(result.stderr.hasPrefix("harvest: error: "))
        #expect(result.stderr.utf8.count < 600, "\(shown): the message floods the terminal")
        #expect(result.stderr.contains(names), "\(shown): \(result.stderr.prefix(300)) does not name \(names)")
        #expect(try workspace.fingerprint() == before, "\(shown) changed the database")
        #expect(
            try String(contentsOf: workspace.url.appendingPathComponent("existing.html"), encoding: .utf8) == "keep me"
        )
    }

    /// A task name is upstream text: an escape sequence in it must reach the terminal as text.
    @Test func controlCharactersInStoredTextAreShownEscaped() throws {
        let workspace = try Workspace()
        let name = "Prices \u{1B}[2J\u{1B}]0;owned\u{7}\u{9B}31m"
        let added = try workspace.harvest("tasks", "add", "6a1b2c3d-4e5f-6789-abcd-ef0123456789", "--name", name)
        #expect(added.status == 0, "\(added.stderr)")
        for arguments in [["tasks", "list"], ["status"]] {
            let shown = try HarvestProcess.runBlocking(arguments, in: workspace.url)
            #expect(shown.status == 0)
            #expect(!shown.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{9B}" })
            #expect(shown.stdout.contains("Prices \\u{1b}[2J"), "\(arguments): \(shown.stdout)")
        }
    }
}
