import Foundation
import GRDB
import HarvestCore

/// What enqueueing one request did.
public enum EnqueueOutcome: Sendable, Equatable {
    /// A new job was queued.
    case created(Int64)
    /// The idempotency key already named this job, with the same request: nothing was added.
    case existing(Int64)

    public var jobID: Int64 {
        switch self {
        case .created(let id), .existing(let id): id
        }
    }
}

extension HarvestDatabase {
    /// Enqueues jobs in one transaction: either all of them are queued or none is.
    ///
    /// `produce` receives a function that enqueues one request (with an optional idempotency key) and
    /// returns what it did; throwing from `produce` rolls everything back. A key already used with the
    /// same payload and result types returns the existing job; with a different one it throws
    /// ``StoreError/idempotencyConflict(key:jobID:)``.
    public func enqueueJobs(
        now: Date,
        _ produce: (_ enqueue: (JobRequest, String?) throws -> EnqueueOutcome) throws -> Void
    ) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO oxylabs_jobs (source, url, query, payload, result_types, batch_key,
                        idempotency_key, status, next_action_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """
            )
            try produce { request, key in
                let resultTypes = ResultType.listText(request.resultTypes)
                try insert.execute(arguments: [
                    request.source, request.url, request.query, request.payloadText, resultTypes,
                    request.batchKey, key, timestamp, timestamp, timestamp,
                ])
                if db.changesCount == 1 { return .created(db.lastInsertedRowID) }
                guard let key,
                    let row = try Row.fetchOne(
                        db,
                        sql: "SELECT id, payload, result_types FROM oxylabs_jobs WHERE idempotency_key = ?",
                        arguments: [key]
                    )
                else { throw StoreError.idempotencyConflict(key: key ?? "", jobID: 0) }
                let id: Int64 = row["id"]
                guard row["payload"] == request.payloadText, row["result_types"] == resultTypes else {
                    throw StoreError.idempotencyConflict(key: key, jobID: id)
                }
                return .existing(id)
            }
        }
    }

    /// Jobs, newest first, optionally only those in `status`.
    public func jobs(status: JobStatus? = nil, limit: Int) throws -> [JobRecord] {
        try writer.read { db in
            var request = JobRecord.order(Column("id").desc).limit(limit)
            if let status { request = request.filter(Column("status") == status.rawValue) }
            return try request.fetchAll(db)
        }
    }

    /// One job with its stored results (without content) and its history.
    public func jobDetails(id: Int64) throws -> JobDetails {
        try writer.read { db in
            guard let job = try JobRecord.fetchOne(db, key: id) else { throw StoreError.jobNotFound(id) }
            let results = try ResultSummary.fetchAll(
                db,
                sql: """
                    SELECT type, page, status_code, url, bytes, fetched_at, pruned_at FROM oxylabs_results
                    WHERE job_id = ? ORDER BY type, page
                    """,
                arguments: [id]
            )
            let events = try EventRecord.fetchAll(
                db,
                sql: """
                    SELECT at, subject, from_state, to_state, detail FROM harvest_events
                    WHERE subject = ? ORDER BY id
                    """,
                arguments: ["job:\(id)"]
            )
            return JobDetails(job: job, results: results, events: events)
        }
    }

    /// Stops work on a queued, submitting or pending job: it becomes `cancelled` and is never polled again.
    ///
    /// Oxylabs has no cancel call, so a job already submitted still runs there; its results are ignored.
    @discardableResult
    public func cancelJob(id: Int64, now: Date) throws -> JobRecord {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            guard let job = try JobRecord.fetchOne(db, key: id) else { throw StoreError.jobNotFound(id) }
            guard job.status.isCancellable else {
                throw StoreError.jobStateConflict(id: id, status: job.status, operation: "cancel")
            }
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET status = 'cancelled', next_action_at = NULL, completed_at = ?,
                        updated_at = ? WHERE id = ?
                    """,
                arguments: [timestamp, timestamp, id]
            )
            try db.execute(sql: "DELETE FROM harvest_leases WHERE resource = ?", arguments: ["job:\(id)"])
            try Self.recordEvent(
                db,
                subject: "job:\(id)",
                from: job.status.rawValue,
                to: JobStatus.cancelled.rawValue,
                detail: "cancelled by the user",
                at: timestamp
            )
            return try JobRecord.fetchOne(db, key: id)!
        }
    }
}

extension HarvestDatabase {
    /// Queues a `failed` or `faulted` job again, from scratch (a new submission, new results).
    @discardableResult
    public func retryJob(id: Int64, now: Date) throws -> JobRecord {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            guard let job = try JobRecord.fetchOne(db, key: id) else { throw StoreError.jobNotFound(id) }
            guard job.status == .failed || job.status == .faulted else {
                throw StoreError.jobStateConflict(id: id, status: job.status, operation: "retry")
            }
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET status = 'queued', remote_id = NULL, remote_status = NULL,
                        remote_created_at = NULL, remote_finished_at = NULL, detected_at = NULL, last_polled_at = NULL,
                        errors = 0, faults = 0, next_action_at = ?, completed_at = NULL, lease_owner = NULL,
                        lease_expires_at = NULL, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [timestamp, timestamp, id]
            )
            try Self.recordEvent(
                db,
                subject: "job:\(id)",
                from: job.status.rawValue,
                to: JobStatus.queued.rawValue,
                detail: "retried by the user",
                at: timestamp
            )
            return try JobRecord.fetchOne(db, key: id)!
        }
    }

    /// The statuses of the given jobs; throws for an id that does not exist.
    public func statuses(of ids: [Int64]) throws -> [Int64: JobStatus] {
        try writer.read { db in
            var statuses: [Int64: JobStatus] = [:]
            for id in ids {
                guard
                    let text = try String.fetchOne(
                        db,
                        sql: "SELECT status FROM oxylabs_jobs WHERE id = ?",
                        arguments: [id]
                    ),
                    let status = JobStatus(rawValue: text)
                else { throw StoreError.jobNotFound(id) }
                statuses[id] = status
            }
            return statuses
        }
    }

    /// One stored result page's content: text (raw HTML, parsed JSON) or bytes (PNG); an error once
    /// `harvest prune` dropped it.
    public func resultContent(jobID: Int64, type: ResultType, page: Int) throws -> ResultContent? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT content, pruned_at FROM oxylabs_results WHERE job_id = ? AND type = ? AND page = ?",
                    arguments: [jobID, type.rawValue, page]
                )
            else { return nil }
            if let prunedAt = row[1] as String? { throw StoreError.resultPruned(jobID: jobID, at: prunedAt) }
            switch row[0] as DatabaseValue {
            case let value where value.storage.value is Data:
                return .bytes(Array(value.storage.value as! Data))
            case let value:
                let text = String.fromDatabaseValue(value) ?? ""
                return type == .parsed ? .json(text) : .text(text)
            }
        }
    }
}
