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
    }

    /// Makes the row key unique in the table: how last-run tasks, whose one pseudo-window grows with every
    /// run, skip rows already stored. Windowed rows are checked against `octoparse_window_keys` instead,
    /// which keeps inserts a third faster than a second B-tree per table.
    func requireUniqueKeys(_ db: Database) throws {
        // Window first: keys grow with ingestion order, so index inserts stay at the end of the tree.
        try db.execute(
            sql: "CREATE UNIQUE INDEX IF NOT EXISTS \(SQLIdentifier.quoted(name + "_row_key")) "
                + "ON \(SQLIdentifier.quoted(name)) (_storage_window, _row_key)"
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

    /// Inserts the rows of `page` read in `window`. With `skippingStored`, rows whose key `keys` knows as
    /// stored are skipped, and the keys of the rows inserted are returned (20 bytes each, for
    /// `octoparse_window_keys`); otherwise every row is inserted, except where a unique index on the keys
    /// ignores it. `keys` carries the count of identical rows across the pages of one pass.
    ///
    /// The hot path of harvesting: the statement is prepared once per table shape and values are bound
    /// through the SQLite C API, without an intermediate array of arguments per row.
    func insert(
        _ db: Database,
        page: OctoparsePage,
        window: Int64?,
        keys: inout WindowRowKeys,
        skippingStored: Bool,
        ingestedAt: String
    ) throws -> (inserted: Int, newKeys: [UInt8]) {
        let columnOfField = page.fields.map { positionOf[$0]! }
        let fieldColumns = columns.map(SQLIdentifier.quoted).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count + 3).joined(separator: ", ")
        // OR IGNORE: tables with a unique index on the keys (last-run tasks, tables older than migration
        // 0004) skip rows already stored.
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO \(SQLIdentifier.quoted(name)) (_storage_window, _row_key, _ingested_at"
                + (columns.isEmpty ? "" : ", \(fieldColumns)") + ") VALUES (\(placeholders))"
        )
        let inserter = RowInserter(
            handle: statement.sqliteStatement,
            connection: db.sqliteConnection,
            window: window,
            ingestedAt: Array(ingestedAt.utf8),
            columnCount: columns.count
        )
        defer { inserter.finish() }
        var inserted = 0
        var newKeys: [UInt8] = []
        func insertRow(_ key: RowKey, _ bytes: UnsafeRawBufferPointer, _ values: ArraySlice<Range<Int>?>) throws {
            if skippingStored, !keys.claim(key) { return }
            guard try inserter.insert(key: key, bytes: bytes, values) else { return }
            inserted += 1
            if skippingStored { key.withBytes { newKeys.append(contentsOf: $0) } }
        }
        if let encoded = page.encodedRows, columnOfField.indices.allSatisfy({ columnOfField[$0] == $0 }) {
            // Encoded and hashed where the page was decoded, in the order of the columns.
            try encoded.bytes.withUnsafeBytes { bytes in
                for row in 0..<encoded.rowCount {
                    let values = encoded.values[(row * encoded.fieldCount)..<((row + 1) * encoded.fieldCount)]
                    try insertRow(keys.key(for: encoded.hashes[row]), bytes, values)
                }
            }
            return (inserted, newKeys)
        }
        var ordered = [String?](repeating: nil, count: columns.count)
        var encoded = EncodedRow()
        for row in page.rows {
            for position in ordered.indices { ordered[position] = nil }
            for (field, value) in row.enumerated() { ordered[columnOfField[field]] = value }
            encoded.encode(ordered)
            let key = keys.key(for: encoded)
            try encoded.bytes.withUnsafeBytes { try insertRow(key, $0, encoded.ranges[...]) }
        }
        return (inserted, newKeys)
    }

    /// Binds and steps the insert statement, one row at a time.
    private struct RowInserter {
        let handle: OpaquePointer?
        let connection: OpaquePointer?
        let window: Int64?
        let ingestedAt: [UInt8]
        let columnCount: Int

        /// Inserts one row whose values lie at `values` in `bytes` (nil: missing; columns past the end get
        /// NULL); returns whether it was inserted (a unique index may ignore it). The bytes are bound in place (SQLITE_STATIC): they outlive the
        /// step, and nothing is copied again.
        func insert(key: RowKey, bytes: UnsafeRawBufferPointer, _ values: ArraySlice<Range<Int>?>) throws -> Bool {
            sqlite3_reset(handle)
            if let window { sqlite3_bind_int64(handle, 1, window) } else { sqlite3_bind_null(handle, 1) }
            let code = key.withBytes { key in
                ingestedAt.withUnsafeBytes { ingested in
                    sqlite3_bind_blob(handle, 2, key.baseAddress, Int32(key.count), DataTable.static)
                    sqlite3_bind_text(handle, 3, ingested.baseAddress, Int32(ingested.count), DataTable.static)
                    var position: Int32 = 4
                    for range in values {
                        if let range {
                            sqlite3_bind_text(
                                handle,
                                position,
                                bytes.baseAddress! + range.lowerBound,
                                Int32(range.count),
                                DataTable.static
                            )
                        } else {
                            sqlite3_bind_null(handle, position)
                        }
                        position += 1
                    }
                    while position < Int32(columnCount + 4) {
                        sqlite3_bind_null(handle, position)
                        position += 1
                    }
                    return sqlite3_step(handle)
                }
            }
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(connection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
            }
            return sqlite3_changes(connection) == 1
        }

        func finish() {
            sqlite3_clear_bindings(handle)
            sqlite3_reset(handle)
        }
    }

    /// SQLite uses the bytes in place: they stay alive until the statement has stepped.
    fileprivate static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)

}
