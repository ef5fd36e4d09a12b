import Foundation
import GRDB
import HarvestCore
import HarvestStore
import Testing

private func rows(_ query: ReadOnlyQuery, _ sql: String) throws -> (columns: [String], rows: [[QueryValue]]) {
    var columns: [String] = []
    var rows: [[QueryValue]] = []
    try query.run(sql, columns: { columns = $0 }, row: { rows.append($0) })
    return (columns, rows)
}

/// A database with one job, a token and a secret, and a view that would leak the token.
private func populated(_ directory: TemporaryDirectory) throws -> String {
    let database = try directory.database()
    try database.enqueueOneJob()
    try database.writer.write { db in
        try db.execute(
            sql: """
                INSERT INTO harvest_tokens (base_url, username, access_token, refresh_token, expires_at, obtained_at)
                VALUES ('https://dataapi.octoparse.com', 'me', 'SECRET-ACCESS', 'SECRET-REFRESH', 'x', 'x');
                INSERT INTO harvest_secrets (name, value, created_at) VALUES ('callback', 'SECRET-CALLBACK', 'x');
                CREATE VIEW token_view AS SELECT access_token FROM harvest_tokens;
                """
        )
    }
    return database.path
}

@Suite struct ReadOnlyQueryTests {
    @Test func readsRowsWithTheirTypes() throws {
        let directory = try TemporaryDirectory()
        let query = try ReadOnlyQuery(path: try populated(directory))
        let result = try rows(query, "SELECT id, status, 1.5 AS r, NULL AS n, x'01ff' AS b FROM oxylabs_jobs")
        #expect(result.columns == ["id", "status", "r", "n", "b"])
        #expect(result.rows == [[.integer(1), .text("queued"), .real(1.5), .null, .blob([1, 255])]])
        let json = try rows(query, "SELECT json_extract(payload, '$.url') FROM oxylabs_jobs")
        #expect(json.rows == [[.text("https://a.com")]])
        let pragma = try rows(query, "PRAGMA table_info(oxylabs_results)")
        #expect(pragma.rows.count > 5)
        let recursive = try rows(
            query,
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3) SELECT x FROM n"
        )
        #expect(recursive.rows.count == 3)
        // Table-valued functions: SQLite's own bookkeeping for them is not a write of the user's.
        let each = try rows(query, "SELECT o.key FROM oxylabs_jobs, json_each(oxylabs_jobs.payload) o ORDER BY 1")
        #expect(each.rows.contains([.text("url")]))
    }

    @Test(arguments: [
        "INSERT INTO oxylabs_jobs (source) VALUES ('x')",
        "UPDATE oxylabs_jobs SET status = 'done'",
        "DELETE FROM oxylabs_jobs",
        "DROP TABLE oxylabs_jobs",
        "CREATE TABLE t (x)",
        "CREATE TEMP TABLE t (x)",
        "ALTER TABLE oxylabs_jobs ADD COLUMN y",
        "ATTACH DATABASE '/tmp/other.sqlite' AS other",
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA wal_checkpoint",
        "BEGIN",
        "VACUUM",
        "REPLACE INTO harvest_events (at, subject) VALUES ('a', 'b')",
        "WITH x AS (SELECT 1) DELETE FROM oxylabs_jobs",
        "UPDATE sqlite_master SET sql = 'x'",
        "UPDATE sqlite_schema SET name = 'x' WHERE name = 'oxylabs_jobs'",
    ])
    func refusesEveryWrite(sql: String) throws {
        let directory = try TemporaryDirectory()
        let path = try populated(directory)
        let query = try ReadOnlyQuery(path: path)
        #expect {
            try rows(query, sql)
        } throws: { error in
            guard let error = error as? QueryError, error.isInputError else { return false }
            return error.description.contains("refused") || error.description.contains("bad SQL")
        }
        let database = try directory.database()
        let jobs = try database.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM oxylabs_jobs") }
        #expect(jobs.count == 1)
        #expect(jobs[0]["status"] == "queued")
    }

    @Test(arguments: [
        "SELECT * FROM harvest_tokens",
        "SELECT access_token FROM harvest_tokens",
        "SELECT COUNT(*) FROM harvest_tokens WHERE access_token LIKE 'S%'",
        "SELECT value FROM harvest_secrets",
        "SELECT * FROM token_view",
        "SELECT (SELECT refresh_token FROM harvest_tokens) AS leak",
        "SELECT * FROM oxylabs_jobs JOIN HARVEST_TOKENS",
    ])
    func refusesToReadSecrets(sql: String) throws {
        let directory = try TemporaryDirectory()
        let query = try ReadOnlyQuery(path: try populated(directory))
        #expect {
            try rows(query, sql)
        } throws: { error in
            (error as? QueryError).map { "\($0)" }?.contains("holds secrets") == true
        }
    }

    @Test func oneStatementAtATime() throws {
        let directory = try TemporaryDirectory()
        let query = try ReadOnlyQuery(path: try populated(directory))
        #expect(throws: QueryError.invalid("give one statement at a time")) {
            try rows(query, "SELECT 1; SELECT 2")
        }
        #expect(throws: QueryError.invalid("give one statement at a time")) {
            try rows(query, "SELECT 1; DELETE FROM oxylabs_jobs")
        }
        #expect(try rows(query, "SELECT 1;  -- trailing comment\n").rows == [[.integer(1)]])
        #expect(throws: QueryError.self) { try rows(query, "SELEKT 1") }
        #expect(throws: QueryError.self) { try rows(query, "SELECT * FROM no_such_table") }
    }

    @Test func theFileIsNeverCreatedOrChanged() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: StoreError.self) { try ReadOnlyQuery(path: directory.path("missing.sqlite")) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing.sqlite")))
    }
}
