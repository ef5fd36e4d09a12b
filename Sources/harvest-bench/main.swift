// The machine's limit for issue 5's benchmark: a bulk insert of already parsed Octoparse rows into SQLite
// with one prepared statement in 1,000-row transactions (WAL, synchronous NORMAL, as Harvest opens its
// file). Harvest's end-to-end figure is compared with this one, measured in the same run.
//
// Usage: harvest-bench bulk-insert ROWS.jsonl DATABASE   (ROWS.jsonl: the fake's /__sim/tasks/ID/rows)
import Foundation
import GRDBSQLite
import HarvestCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("harvest-bench: \(message)\n".utf8))
    exit(2)
}

func check(_ code: Int32, _ database: OpaquePointer?, _ what: String) {
    guard code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW else {
        fail("\(what): \(String(cString: sqlite3_errmsg(database)))")
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, arguments[1] == "bulk-insert" else {
    fail("usage: harvest-bench bulk-insert ROWS.jsonl DATABASE")
}

// Parse (not timed): each line's "row" object, values in the order of the first row's fields.
var fields: [String] = []
var rows: [[String?]] = []
let text = try String(contentsOfFile: arguments[2], encoding: .utf8)
for line in text.split(separator: "\n") {
    guard case .object(let members) = try JSONParser.parse(Data(line.utf8)), case .object(let row)? = members["row"]
    else { fail("unexpected line") }
    if fields.isEmpty { fields = row.keys.sorted() }
    rows.append(fields.map { row[$0]?.stringValue })
}

var database: OpaquePointer?
check(sqlite3_open(arguments[3], &database), database, "open")
for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"] {
    check(sqlite3_exec(database, pragma, nil, nil, nil), database, pragma)
}
let columns = fields.indices.map { "c\($0) TEXT" }.joined(separator: ", ")
check(
    sqlite3_exec(database, "CREATE TABLE rows (id INTEGER PRIMARY KEY, \(columns))", nil, nil, nil),
    database,
    "create"
)
let placeholders = fields.map { _ in "?" }.joined(separator: ", ")
let names = fields.indices.map { "c\($0)" }.joined(separator: ", ")
var statement: OpaquePointer?
check(
    sqlite3_prepare_v2(database, "INSERT INTO rows (\(names)) VALUES (\(placeholders))", -1, &statement, nil),
    database,
    "prepare"
)
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

let start = ContinuousClock.now
for batch in stride(from: 0, to: rows.count, by: 1_000) {
    check(sqlite3_exec(database, "BEGIN", nil, nil, nil), database, "begin")
    for row in rows[batch..<min(batch + 1_000, rows.count)] {
        sqlite3_reset(statement)
        for (index, value) in row.enumerated() {
            if var value {
                value.withUTF8 { bytes in
                    _ = sqlite3_bind_text(
                        statement,
                        Int32(index + 1),
                        bytes.baseAddress ?? UnsafePointer(bitPattern: 1),
                        Int32(bytes.count),
                        transient
                    )
                }
            } else {
                sqlite3_bind_null(statement, Int32(index + 1))
            }
        }
        check(sqlite3_step(statement), database, "insert")
    }
    check(sqlite3_exec(database, "COMMIT", nil, nil, nil), database, "commit")
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
sqlite3_finalize(statement)
sqlite3_close(database)
print(String(format: "rows=%d seconds=%.3f rows_per_second=%.0f", rows.count, seconds, Double(rows.count) / seconds))
