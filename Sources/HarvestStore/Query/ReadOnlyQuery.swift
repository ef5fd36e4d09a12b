import Foundation
import GRDBSQLite

/// Runs users' SQL against the database for `harvest query`: read-only, one statement, no secrets.
///
/// The file is opened with `SQLITE_OPEN_READONLY`, and SQLite's authorizer — not a parser of ours —
/// vets every statement as it is compiled: anything that writes, changes the schema, attaches a file or
/// opens a transaction is refused, as is any read of the tables that hold secrets. This talks to the
/// SQLite C API directly because GRDB installs its own authorizer on its connections.
public final class ReadOnlyQuery {
    /// Tables that hold credentials or tokens; no query may read them.
    public static let secretTables: Set<String> = ["harvest_tokens", "harvest_secrets"]

    private let connection: OpaquePointer
    private let guardState = AuthorizerState()

    /// Opens `path` read-only.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "no such file")
        }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
            sqlite3_close(handle)
            throw StoreError.cannotOpen(path: path, reason: reason)
        }
        connection = handle
        sqlite3_busy_timeout(connection, Int32(HarvestDatabase.busyTimeout * 1000))
        sqlite3_set_authorizer(connection, authorize, Unmanaged.passUnretained(guardState).toOpaque())
    }

    deinit {
        sqlite3_close(connection)
    }

    /// Runs one statement, calling `columns` once with the column names, then `row` for each row.
    public func run(
        _ sql: String,
        columns: ([String]) throws -> Void,
        row: ([QueryValue]) throws -> Void
    ) throws {
        let statement = try prepareSingle(sql)
        defer { sqlite3_finalize(statement) }
        let count = sqlite3_column_count(statement)
        try columns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
        var values = [QueryValue](repeating: .null, count: Int(count))
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw QueryError.failed(lastMessage) }
            for column in 0..<count {
                values[Int(column)] = value(statement, column)
            }
            try row(values)
        }
    }

    private func prepareSingle(_ sql: String) throws -> OpaquePointer {
        let utf8 = Array(sql.utf8CString)
        return try utf8.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress!
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            guardState.refusal = nil
            let code = sqlite3_prepare_v2(connection, start, -1, &statement, &tail)
            if let refusal = guardState.refusal {
                sqlite3_finalize(statement)
                throw QueryError.refused(refusal)
            }
            guard code == SQLITE_OK else { throw QueryError.invalid(lastMessage) }
            guard let statement else { throw QueryError.invalid("no statement to run") }
            if let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                let nextCode = sqlite3_prepare_v2(connection, tail, -1, &next, nil)
                sqlite3_finalize(next)
                if next != nil || nextCode != SQLITE_OK || guardState.refusal != nil {
                    sqlite3_finalize(statement)
                    throw QueryError.invalid("give one statement at a time")
                }
            }
            guard sqlite3_stmt_readonly(statement) != 0 else {
                sqlite3_finalize(statement)
                throw QueryError.refused("the statement writes")
            }
            return statement
        }
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(connection)) }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> QueryValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let pointer = sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let pointer = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }
}

/// Where the authorizer leaves the reason for refusing the statement being compiled.
private final class AuthorizerState {
    var refusal: String?
}

/// PRAGMAs that only report, and so may be run with an argument (`PRAGMA table_info(t)`).
private let reportingPragmas: Set<String> = [
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "integrity_check", "quick_check", "collation_list", "function_list", "module_list", "pragma_list",
    "database_list", "compile_options",
]

/// PRAGMAs that set something when given a value, and so may only be read (`PRAGMA user_version`).
private let settingPragmas: Set<String> = [
    "user_version", "schema_version", "application_id", "journal_mode", "page_size", "page_count",
    "freelist_count", "encoding", "foreign_keys", "auto_vacuum", "synchronous", "cache_size", "busy_timeout",
    "data_version", "max_page_count", "query_only",
]

private func authorize(
    _ context: UnsafeMutableRawPointer?,
    _ action: Int32,
    _ argument1: UnsafePointer<CChar>?,
    _ argument2: UnsafePointer<CChar>?,
    _ database: UnsafePointer<CChar>?,
    _ trigger: UnsafePointer<CChar>?
) -> Int32 {
    let state = Unmanaged<AuthorizerState>.fromOpaque(context!).takeUnretainedValue()
    let first = argument1.map { String(cString: $0) } ?? ""
    func refuse(_ reason: String) -> Int32 {
        if state.refusal == nil { state.refusal = reason }
        return SQLITE_DENY
    }
    switch action {
    case SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_READ:
        if ReadOnlyQuery.secretTables.contains(first.lowercased()) {
            return refuse("\(first) holds secrets and cannot be read")
        }
        return SQLITE_OK
    case SQLITE_PRAGMA:
        let name = first.lowercased()
        if reportingPragmas.contains(name) || (settingPragmas.contains(name) && argument2 == nil) {
            return SQLITE_OK
        }
        return refuse(argument2 == nil ? "PRAGMA \(first) is not allowed" : "PRAGMA \(first) sets a value")
    case SQLITE_INSERT: return refuse("the statement inserts into \(first)")
    case SQLITE_UPDATE where ["sqlite_master", "sqlite_schema"].contains(first.lowercased()):
        // SQLite itself asks this when a statement first uses a table-valued function such as json_each.
        // A statement of the user's that writes the schema is refused by SQLite (and the file is read-only).
        return SQLITE_OK
    case SQLITE_UPDATE: return refuse("the statement updates \(first)")
    case SQLITE_DELETE: return refuse("the statement deletes from \(first)")
    case SQLITE_ATTACH, SQLITE_DETACH: return refuse("ATTACH and DETACH are not allowed")
    case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: return refuse("transactions are not allowed")
    default:
        return refuse("the statement changes the schema or the database (SQLite action \(action))")
    }
}
