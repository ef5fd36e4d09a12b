import Foundation
import GRDB
import HarvestSimulator
import Testing

/// Comparing a database that `harvest serve` finished with the Oxylabs fake's ground truth.
enum OxylabsGroundTruth {
    /// Every remote id a local job ever had (current, and those of faulted attempts in the event log).
    static func remoteIDs(_ workspace: Workspace) throws -> [String: Int64] {
        try DatabaseQueue(path: workspace.database).read { db in
            var map: [String: Int64] = [:]
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT CAST(substr(subject, 5) AS INTEGER) AS id, detail FROM harvest_events WHERE detail LIKE 'remote id %'"
            ) {
                let detail: String = row["detail"]
                map[String(detail.dropFirst("remote id ".count))] = row["id"]
            }
            return map
        }
    }

    /// The invariants of a run without crashes: every upstream job is one of ours and every one of ours
    /// upstream; each local job is final once, with the status Oxylabs gives its last remote job (done or
    /// faulted, never done for a job Oxylabs faulted); each fault was seen once; a done job holds every
    /// page of every type asked for, once and not empty, and a job not done holds none. Returns the
    /// local jobs by status.
    @discardableResult
    static func expectAgrees(
        _ workspace: Workspace,
        with simulator: HarvestSimulator,
        jobs: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Int] {
        let truth = Dictionary(uniqueKeysWithValues: simulator.oxylabs.truth().map { ($0.id, $0.status) })
        let ours = try remoteIDs(workspace)
        #expect(Set(ours.keys) == Set(truth.keys), "upstream jobs that are not ours", sourceLocation: sourceLocation)
        return try DatabaseQueue(path: workspace.database).read { db in
            let local = try Row.fetchAll(db, sql: "SELECT id, status, remote_id, lease_owner FROM oxylabs_jobs")
            #expect(local.count == jobs, sourceLocation: sourceLocation)
            var byStatus: [String: Int] = [:]
            for row in local {
                let id: Int64 = row["id"]
                let status: String = row["status"]
                let remote: String? = row["remote_id"]
                byStatus[status, default: 0] += 1
                #expect(
                    ["done", "faulted"].contains(status) && truth[remote ?? ""] == status,
                    "job \(id) is \(status); Oxylabs says \(truth[remote ?? ""] ?? "nothing")",
                    sourceLocation: sourceLocation
                )
                #expect((row["lease_owner"] as String?) == nil, sourceLocation: sourceLocation)
            }
            let faults = try Int.fetchOne(db, sql: "SELECT SUM(faults) FROM oxylabs_jobs") ?? 0
            #expect(faults == truth.values.filter { $0 == "faulted" }.count, sourceLocation: sourceLocation)
            let expectedPages = try Int.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(COALESCE(json_extract(payload, '$.pages'), 1)
                        * (length(result_types) - length(replace(result_types, ',', '')) + 1)), 0)
                    FROM oxylabs_jobs WHERE status = 'done'
                    """
            )
            let pages = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM oxylabs_results r JOIN oxylabs_jobs j ON j.id = r.job_id
                    WHERE j.status = 'done' AND r.bytes > 0
                    """
            )
            #expect(pages == expectedPages, "result pages stored", sourceLocation: sourceLocation)
            let misplaced = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM oxylabs_results r JOIN oxylabs_jobs j ON j.id = r.job_id
                    WHERE j.status != 'done' OR r.bytes = 0
                    """
            )
            #expect(misplaced == 0, "results of jobs not done, or empty", sourceLocation: sourceLocation)
            return byStatus
        }
    }
}

extension Workspace {
    /// One integer from the database (0 for NULL).
    func scalar(_ sql: String) throws -> Int {
        try DatabaseQueue(path: database).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
