import Foundation
import GRDB
import GRDBSQLite
import HarvestCore

/// A task's data table (`data_<slug>`): one TEXT column per Octoparse field, plus the lineage columns
/// `_id`, `_storage_window` (the window the row was read in; NULL in the modes without windows),
/// `_row_key` (the row's identity within its window, see ``RowKey``) and `_ingested_at`.
///
/// Every identifier is quoted, so a field named `x"); DROP TABLE t;--` is just a column.
struct DataTable {
    let name: String
    /// The field columns in position order.
    private(set) var columns: [String]
    /// Field name → column position.
    private(set) var positionOf: [String: Int]

    /// Loads (creating the table on first use) the table of `taskID`.
    static func open(_ db: Database, taskID: String, name: String) throws -> DataTable {
        let quoted = SQLIdentifier.quoted(name)
        if try !db.tableExists(name) {
            try create(db, quoted: quoted, name: name)
        }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT field_name, column_name FROM octoparse_columns WHERE task_id = ? ORDER BY position"
            ),
            arguments: [taskID]
        )
        var table = DataTable(name: name, columns: [], positionOf: [:])
        for row in rows {
            table.positionOf[row["field_name"]] = table.columns.count
            table.columns.append(row["column_name"])
        }
        return table
    }

    private static func create(_ db: Database, quoted: String, name: String) throws {
        try db.execute(
            sql: """
                CREATE TABLE \(quoted) (
                    _id INTEGER PRIMARY KEY,
                    _storage_window INTEGER,
                    _row_key BLOB NOT NULL,
                    _ingested_at TEXT NOT NULL
                )
                """
        )
        // Window first: keys grow with ingestion order, so index inserts stay at the end of the tree.
        try db.execute(
            sql: "CREATE UNIQUE INDEX \(SQLIdentifier.quoted(name + "_row_key")) "
                + "ON \(quoted) (_storage_window, _row_key)"
        )
    }

    /// Adds a column for each field not seen before (old rows keep NULL in it); existing columns never change.
    mutating func addColumns(_ db: Database, taskID: String, fields: [String], now: String) throws {
        let new = fields.filter { positionOf[$0] == nil }
        guard !new.isEmpty else { return }
        var existing: [String: String] = [:]
        for (field, position) in positionOf { existing[field] = columns[position] }
        let assigned = ColumnNames.assign(new, existing: existing)
        var seen = Set<String>()
        for field in new where seen.insert(field).inserted {
            let column = assigned[field]!
            try db.execute(
                sql: "ALTER TABLE \(SQLIdentifier.quoted(name)) ADD COLUMN \(SQLIdentifier.quoted(column)) TEXT"
            )
            try db.execute(
                sql: """
                    INSERT INTO octoparse_columns (task_id, field_name, column_name, position, added_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [taskID, field, column, columns.count, now]
            )
            positionOf[field] = columns.count
            columns.append(column)
        }
    }

    /// Inserts the rows of `page` read in `window`, skipping those whose key is already stored; returns how
    /// many were new. `keys` carries the count of identical rows across the pages of one pass.
    ///
    /// The hot path of harvesting: the statement is prepared once per table shape and values are bound
    /// through the SQLite C API, without an intermediate array of arguments per row.
    func insert(
        _ db: Database,
        page: OctoparsePage,
        window: Int64?,
        keys: inout WindowRowKeys,
        ingestedAt: String
    ) throws -> Int {
        let columnOfField = page.fields.map { positionOf[$0]! }
        let fieldColumns = columns.map(SQLIdentifier.quoted).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count + 3).joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO \(SQLIdentifier.quoted(name)) (_storage_window, _row_key, _ingested_at"
                + (columns.isEmpty ? "" : ", \(fieldColumns)") + ") VALUES (\(placeholders)) "
                + "ON CONFLICT (_storage_window, _row_key) DO NOTHING"
        )
        let handle = statement.sqliteStatement
        let connection = db.sqliteConnection
        var ordered = [String?](repeating: nil, count: columns.count)
        var encoded = EncodedRow()
        var inserted = 0
        let ingested = Array(ingestedAt.utf8)
        for row in page.rows {
            for position in ordered.indices { ordered[position] = nil }
            for (field, value) in row.enumerated() { ordered[columnOfField[field]] = value }
            encoded.encode(ordered)
            let key = keys.key(for: encoded)
            sqlite3_reset(handle)
            if let window { sqlite3_bind_int64(handle, 1, window) } else { sqlite3_bind_null(handle, 1) }
            let keyBytes = key.bytes
            // The values are bound from the encoded row in place (SQLITE_STATIC): the buffers outlive the
            // step, and nothing is copied again.
            let code = keyBytes.withUnsafeBytes { key in
                ingested.withUnsafeBytes { ingested in
                    encoded.bytes.withUnsafeBytes { bytes in
                        sqlite3_bind_blob(handle, 2, key.baseAddress, Int32(key.count), Self.static)
                        sqlite3_bind_text(handle, 3, ingested.baseAddress, Int32(ingested.count), Self.static)
                        for (position, range) in encoded.ranges.enumerated() {
                            if let range {
                                sqlite3_bind_text(
                                    handle,
                                    Int32(position + 4),
                                    bytes.baseAddress! + range.lowerBound,
                                    Int32(range.count),
                                    Self.static
                                )
                            } else {
                                sqlite3_bind_null(handle, Int32(position + 4))
                            }
                        }
                        for position in encoded.ranges.count..<columns.count {
                            sqlite3_bind_null(handle, Int32(position + 4))
                        }
                        return sqlite3_step(handle)
                    }
                }
            }
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(connection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
            }
            inserted += Int(sqlite3_changes(connection))
        }
        sqlite3_clear_bindings(handle)
        sqlite3_reset(handle)
        return inserted
    }

    /// SQLite uses the bytes in place: they stay alive until the statement has stepped.
    private static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)

}
