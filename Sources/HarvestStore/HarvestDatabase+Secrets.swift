import Foundation
import GRDB
import HarvestCore

extension HarvestDatabase {
    /// The secret named `name`, created with `make()` the first time it is asked for. Secrets live in
    /// `harvest_secrets`, which `harvest query` cannot read.
    public func secret(named name: String, now: Date, make: () -> String) throws -> String {
        try writer.write { db in
            if let existing = try String.fetchOne(
                db,
                sql: "SELECT value FROM harvest_secrets WHERE name = ?",
                arguments: [name]
            ) {
                return existing
            }
            let value = make()
            try db.execute(
                sql: "INSERT INTO harvest_secrets (name, value, created_at) VALUES (?, ?, ?)",
                arguments: [name, value, UTCTime.format(now)]
            )
            return value
        }
    }
}

extension HarvestDatabase {
    /// Whether a secret named `name` exists (without creating it).
    public func hasSecret(named name: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM harvest_secrets WHERE name = ?)",
                arguments: [name]
            )
                ?? false
        }
    }
}
