import GRDB

/// What SQLite's failures mean to an operator, in one line and without the SQL that failed.
public enum DatabaseFailure {
    /// Whether `error` comes from the file's surroundings (a lock, the disk, permissions), not from a
    /// statement: such failures are worth a line of their own when a database is opened.
    public static func isEnvironmental(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        let codes: [ResultCode] = [
            .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_CORRUPT,
            .SQLITE_NOTADB, .SQLITE_CANTOPEN,
        ]
        return codes.contains(error.resultCode.primaryResultCode)
    }

    /// A description of `error` when it is SQLite's, else nil.
    public static func describe(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            let seconds = Int(HarvestDatabase.busyTimeout)
            return "the database is busy: another process held its write lock for more than \(seconds) s; try again"
        case .SQLITE_FULL:
            return "the database could not grow: the disk is full (or a file size limit was reached)"
        case .SQLITE_READONLY:
            return "the database is read-only here: check the permissions of the file and its directory"
        case .SQLITE_IOERR where error.extendedResultCode == .SQLITE_IOERR_WRITE:
            return "the database could not be written: the disk may be full (or a file size limit was reached)"
        case .SQLITE_IOERR:
            return "the database could not be read or written (I/O error): check the disk"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the database file is damaged or not a database: restore it from a backup"
        case .SQLITE_CANTOPEN:
            return "the database file cannot be opened: check its path and permissions"
        default:
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
    }
}
