import Foundation
import HarvestCore
import HarvestStore

/// The gauges whose truth is the database, read at scrape time rather than kept up to date by every
/// writer: they stay right when several processes share the file or a command changed it.
struct DatabaseGauges: Equatable {
    /// Jobs per status, every status present.
    var jobs: [String: Int]
    /// Seconds each enabled task's storage-time cursor is behind now, keyed by task id.
    var cursorLag: [String: Double]
    /// Seconds each Octoparse account's storage times seem to run from the configured zone, keyed by
    /// username; only accounts that showed a skew.
    var zoneSkew: [String: Int] = [:]

    /// Reads the gauges from `database` as of `now`.
    static func read(from database: HarvestDatabase, now: Date) throws -> DatabaseGauges {
        let summary = try database.statusSummary()
        return DatabaseGauges(
            jobs: Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0.rawValue, summary.jobs[$0] ?? 0) }),
            cursorLag: cursorLag(tasks: try database.tasks(), now: now),
            zoneSkew: try database.octoparseZoneSkews()
        )
    }

    /// The lag of every enabled task that has a storage-time cursor; a disabled task's lag only grows and
    /// would page someone for nothing, and a queue-mode task has no cursor in time.
    static func cursorLag(tasks: [TaskRecord], now: Date) -> [String: Double] {
        var lag: [String: Double] = [:]
        for task in tasks where task.enabled {
            guard let cursor = task.cursor.flatMap(UTCTime.parse) else { continue }
            lag[task.taskID] = max(0, now.timeIntervalSince(cursor))
        }
        return lag
    }
}
