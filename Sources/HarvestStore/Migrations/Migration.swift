import HarvestCore

/// One numbered schema change from `migrations/`, as compiled into the binary.
public struct Migration: Sendable, Equatable {
    /// `0001_initial.sql`.
    public var fileName: String
    /// The SQL, one or more statements.
    public var sql: String

    public init(fileName: String, sql: String) {
        self.fileName = fileName
        self.sql = sql
    }

    /// SHA-256 of the SQL; an applied migration whose checksum changed is refused.
    public var checksum: String { Digest.sha256Hex(sql) }

    /// The migrations this binary carries, in order.
    public static var all: [Migration] { embedded }
}
