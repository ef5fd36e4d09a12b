import Foundation
import GRDB
import HarvestCore

extension HarvestDatabase {
    /// Appends a state change to `harvest_events`, inside the caller's transaction.
    static func recordEvent(
        _ db: Database,
        subject: String,
        from: String?,
        to: String?,
        detail: String? = nil,
        at now: String
    ) throws {
        try db.cachedStatement(
            sql: "INSERT INTO harvest_events (at, subject, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [now, subject, from, to, detail])
    }

    /// The events of one subject (`job:12`, `task:…`), oldest first.
    public func events(subject: String, limit: Int = 100) throws -> [EventRecord] {
        try writer.read { db in
            try EventRecord.fetchAll(
                db,
                sql: """
                    SELECT at, subject, from_state, to_state, detail FROM harvest_events
                    WHERE subject = ? ORDER BY id LIMIT ?
                    """,
                arguments: [subject, limit]
            )
        }
    }
}
