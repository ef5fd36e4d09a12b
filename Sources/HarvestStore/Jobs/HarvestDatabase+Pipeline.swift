import Foundation
import GRDB
import HarvestCore

/// The Oxylabs pipeline's transitions. Each method is one transaction; each claim takes a lease so that
/// a second process, or a restarted one, never works on the same job at the same time.
extension HarvestDatabase {
    // MARK: Submitting

    /// The event detail of a job sent again because a process stopped between sending it and recording
    /// the answer (the submit gap).
    public static let resubmittedAfterStop =
        "re-submitted: a process stopped after sending it, before recording the answer"
    /// The event detail of a job queued again because Oxylabs accepted it but its answer could not be read.
    public static let resubmittedAfterLostAnswer =
        "re-submitted: Oxylabs accepted it, but its answer could not be read"

    /// Claims up to `limit` jobs to submit: queued jobs that are due, and jobs left `submitting` whose
    /// lease expired (a process died between sending a submit and recording its answer: they are sent
    /// again and counted as re-submissions). Claimed jobs are `submitting`, leased to `owner`.
    public func claimJobsForSubmission(limit: Int, now: Date, owner: String, lease: Duration) throws -> [PipelineJob] {
        let timestamp = UTCTime.format(now)
        let expires = UTCTime.format(now.addingTimeInterval(lease.seconds))
        return try writer.write { db in
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, status = 'submitting' AS retaken FROM (
                        SELECT id, status FROM oxylabs_jobs
                        WHERE status = 'queued' AND next_action_at <= ?
                          AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                        UNION ALL
                        SELECT id, status FROM oxylabs_jobs WHERE status = 'submitting' AND lease_expires_at < ?)
                    ORDER BY id LIMIT ?
                    """,
                arguments: [timestamp, timestamp, timestamp, limit]
            )
            let update = try db.cachedStatement(
                sql: """
                    UPDATE oxylabs_jobs
                    SET status = 'submitting', attempts = attempts + 1, resubmissions = resubmissions + ?,
                        lease_owner = ?, lease_expires_at = ?, updated_at = ?
                    WHERE id = ?
                    RETURNING *, ? AS retaken
                    """
            )
            var jobs: [PipelineJob] = []
            for candidate in candidates {
                let retaken: Bool = candidate["retaken"]
                guard
                    let row = try Row.fetchOne(
                        update,
                        arguments: [retaken ? 1 : 0, owner, expires, timestamp, candidate["id"], retaken]
                    )
                else { continue }
                let job = Self.pipelineJob(row)
                jobs.append(job)
                if job.isResubmission {
                    try Self.recordEvent(
                        db,
                        subject: "job:\(job.id)",
                        from: "submitting",
                        to: "submitting",
                        detail: Self.resubmittedAfterStop,
                        at: timestamp
                    )
                }
            }
            return jobs.sorted { $0.id < $1.id }
        }
    }

    /// Records the answers of a submission, all in one transaction. Returns the jobs whose answer was
    /// recorded (a job whose lease another process took over is left alone).
    @discardableResult
    public func recordSubmission(_ outcomes: [Int64: SubmitOutcome], now: Date, owner: String) throws -> Set<Int64> {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            var recorded: Set<Int64> = []
            for (id, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
                switch outcome {
                case .accepted(let remote, let firstPollAt):
                    try db.execute(
                        sql: """
                            UPDATE oxylabs_jobs SET status = 'pending', remote_id = ?, remote_status = 'pending',
                                remote_status_source = 'status', remote_created_at = ?, remote_finished_at = NULL, submitted_at = ?,
                                last_polled_at = NULL, next_action_at = ?, errors = 0, last_error = NULL,
                                lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                            WHERE id = ? AND status = 'submitting' AND lease_owner = ?
                            """,
                        arguments: [
                            remote.id, remote.createdAt.map(UTCTime.format), timestamp, UTCTime.format(firstPollAt),
                            timestamp, id, owner,
                        ]
                    )
                    if db.changesCount == 1 {
                        recorded.insert(id)
                        try Self.recordEvent(
                            db,
                            subject: "job:\(id)",
                            from: "submitting",
                            to: "pending",
                            detail: "remote id \(remote.id)",
                            at: timestamp
                        )
                    }
                case .retry(let retryAt, let reason):
                    try db.execute(
                        sql: """
                            UPDATE oxylabs_jobs SET status = 'queued', next_action_at = ?, errors = errors + 1,
                                last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                            WHERE id = ? AND status = 'submitting' AND lease_owner = ?
                            """,
                        arguments: [UTCTime.format(retryAt), reason, timestamp, id, owner]
                    )
                    if db.changesCount == 1 { recorded.insert(id) }
                case .resend(let retryAt, let reason):
                    try db.execute(
                        sql: """
                            UPDATE oxylabs_jobs SET status = 'queued', next_action_at = ?, errors = errors + 1,
                                resubmissions = resubmissions + 1, last_error = ?, lease_owner = NULL,
                                lease_expires_at = NULL, updated_at = ?
                            WHERE id = ? AND status = 'submitting' AND lease_owner = ?
                            """,
                        arguments: [UTCTime.format(retryAt), reason, timestamp, id, owner]
                    )
                    if db.changesCount == 1 {
                        recorded.insert(id)
                        try Self.recordEvent(
                            db,
                            subject: "job:\(id)",
                            from: "submitting",
                            to: "queued",
                            detail: Self.resubmittedAfterLostAnswer,
                            at: timestamp
                        )
                    }
                case .postpone(let until, let reason):
                    try db.execute(
                        sql: """
                            UPDATE oxylabs_jobs SET status = 'queued', next_action_at = ?, last_error = ?,
                                lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                            WHERE id = ? AND status = 'submitting' AND lease_owner = ?
                            """,
                        arguments: [UTCTime.format(until), reason, timestamp, id, owner]
                    )
                    if db.changesCount == 1 { recorded.insert(id) }
                case .failed(let reason):
                    if try finish(
                        db,
                        id: id,
                        from: "submitting",
                        to: .failed,
                        reason: reason,
                        at: timestamp,
                        owner: owner
                    ) {
                        recorded.insert(id)
                    }
                }
            }
            return recorded
        }
    }

    // MARK: Polling and fetching

    /// Claims pending jobs whose next poll is due (Oxylabs said pending last time).
    public func claimJobsDueForPoll(limit: Int, now: Date, owner: String, lease: Duration) throws -> [PipelineJob] {
        try claimPending(remoteStatus: "pending", limit: limit, now: now, owner: owner, lease: lease)
    }

    /// Claims pending jobs that Oxylabs finished (seen by a poll or announced by a callback), to fetch
    /// their results.
    public func claimJobsDueForFetch(limit: Int, now: Date, owner: String, lease: Duration) throws -> [PipelineJob] {
        try claimPending(remoteStatus: "done", limit: limit, now: now, owner: owner, lease: lease)
    }

    /// A poll saw the job still pending: count the poll and schedule the next.
    public func recordStillPending(id: Int64, nextPollAt: Date, now: Date, owner: String) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET polls = polls + 1, last_polled_at = ?, next_action_at = ?, errors = 0,
                        lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE id = ? AND status = 'pending' AND lease_owner = ?
                    """,
                arguments: [timestamp, UTCTime.format(nextPollAt), timestamp, id, owner]
            )
        }
    }

    /// Oxylabs' status endpoint reports the job done: its results are due for fetching now. `countPoll` is
    /// false when the status was asked only to confirm a results answer.
    public func recordRemoteDone(id: Int64, remote: RemoteJob?, countPoll: Bool, now: Date, owner: String?) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET remote_status = 'done', remote_status_source = 'status',
                        polls = polls + ?, remote_finished_at = COALESCE(?, remote_finished_at), next_action_at = ?,
                        errors = 0,
                        detected_at = COALESCE(detected_at, ?),
                        lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE id = ? AND status = 'pending' AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?)
                    """,
                arguments: [
                    countPoll ? 1 : 0, remote?.updatedAt.map(UTCTime.format), timestamp, timestamp, timestamp, id,
                    owner ?? "", timestamp,
                ]
            )
        }
    }

    /// A callback named `remoteID` with `status`: if it is a pending job of ours, something is due now.
    /// A callback saying `done` makes its results due (the fetcher checks with Oxylabs before storing);
    /// any other status makes a status poll due, which alone decides that a job faulted: a callback is
    /// unsigned. Returns the local job id, or nil for an unknown, final or foreign id (then nothing changes).
    public func markDueByCallback(remoteID: String, status: RemoteJobStatus, now: Date) throws -> Int64? {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            guard
                let id = try Int64.fetchOne(
                    db,
                    sql: "SELECT id FROM oxylabs_jobs WHERE remote_id = ? AND status = 'pending'",
                    arguments: [remoteID]
                )
            else { return nil }
            if status == .done {
                try db.execute(
                    sql: """
                        UPDATE oxylabs_jobs SET remote_status = 'done', remote_status_source = 'callback',
                            next_action_at = ?, updated_at = ?, detected_at = COALESCE(detected_at, ?)
                        WHERE id = ? AND remote_status = 'pending'
                        """,
                    arguments: [timestamp, timestamp, timestamp, id]
                )
            } else {
                try db.execute(
                    sql: """
                        UPDATE oxylabs_jobs SET next_action_at = ?, updated_at = ?
                        WHERE id = ? AND remote_status = 'pending' AND next_action_at > ?
                        """,
                    arguments: [timestamp, timestamp, id, timestamp]
                )
            }
            return id
        }
    }

    /// Stores every result page and marks the job `done`, in one transaction: a job is never done
    /// without its results, and a page is never stored twice.
    ///
    /// - Returns: the bytes of content newly stored (0 when the job was no longer this process's).
    @discardableResult
    public func storeResults(
        id: Int64,
        pages: [ResultPage],
        remote: RemoteJob?,
        now: Date,
        owner: String
    ) throws -> Int {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            guard
                try Bool.fetchOne(
                    db,
                    sql: "SELECT 1 FROM oxylabs_jobs WHERE id = ? AND status = 'pending' AND lease_owner = ?",
                    arguments: [id, owner]
                ) == true
            else { return 0 }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO oxylabs_results (job_id, type, page, status_code, url, content, bytes, fetched_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (job_id, type, page) DO NOTHING
                    """
            )
            var storedBytes = 0
            for page in pages {
                let content: any DatabaseValueConvertible =
                    switch page.content {
                    case .text(let text), .json(let text): text
                    case .bytes(let bytes): Data(bytes)
                    }
                try insert.execute(arguments: [
                    id, page.type.rawValue, page.page, page.statusCode, page.url, content, page.content.byteCount,
                    timestamp,
                ])
                if db.changesCount == 1 { storedBytes += page.content.byteCount }
            }
            Crashpoint.midTransaction.hit()
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET status = 'done', remote_status = 'done', completed_at = ?,
                        detected_at = COALESCE(detected_at, completed_at, ?),
                        remote_finished_at = COALESCE(?, remote_finished_at), next_action_at = NULL, errors = 0,
                        last_error = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [timestamp, timestamp, remote?.updatedAt.map(UTCTime.format), timestamp, id]
            )
            try Self.recordEvent(
                db,
                subject: "job:\(id)",
                from: "pending",
                to: "done",
                detail: "\(pages.count) result page(s) stored",
                at: timestamp
            )
            return storedBytes
        }
    }

    /// Oxylabs faulted the job. Faulted jobs are free, so it is queued again while `resubmit` is true;
    /// otherwise it ends `faulted`. Returns false when the job was no longer this process's to change.
    @discardableResult
    public func recordFaulted(id: Int64, resubmit: Bool, now: Date, owner: String) throws -> Bool {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            guard
                let remoteID = try String.fetchOne(
                    db,
                    sql: "SELECT remote_id FROM oxylabs_jobs WHERE id = ? AND status = 'pending' AND lease_owner = ?",
                    arguments: [id, owner]
                )
            else { return false }
            if resubmit {
                try db.execute(
                    sql: """
                        UPDATE oxylabs_jobs SET status = 'queued', faults = faults + 1, remote_id = NULL,
                            remote_status = NULL, remote_status_source = NULL, detected_at = NULL, remote_finished_at = NULL, next_action_at = ?, last_error = ?, errors = 0,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [timestamp, "Oxylabs faulted job \(remoteID)", timestamp, id]
                )
                try Self.recordEvent(
                    db,
                    subject: "job:\(id)",
                    from: "pending",
                    to: "queued",
                    detail: "Oxylabs faulted job \(remoteID); submitting again (faulted jobs are free)",
                    at: timestamp
                )
                return true
            } else {
                try db.execute(sql: "UPDATE oxylabs_jobs SET faults = faults + 1 WHERE id = ?", arguments: [id])
                return try finish(
                    db,
                    id: id,
                    from: "pending",
                    to: .faulted,
                    reason: "Oxylabs faulted job \(remoteID)",
                    at: timestamp,
                    owner: owner
                )
            }
        }
    }

    /// A transient error on a claimed pending job: retry at `retryAt`, or fail once `giveUp` is set.
    /// Returns false when the job was no longer this process's to change.
    @discardableResult
    public func recordPendingError(
        id: Int64,
        reason: String,
        retryAt: Date,
        giveUp: Bool,
        now: Date,
        owner: String
    ) throws -> Bool {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            if giveUp {
                return try finish(db, id: id, from: "pending", to: .failed, reason: reason, at: timestamp, owner: owner)
            } else {
                try db.execute(
                    sql: """
                        UPDATE oxylabs_jobs SET errors = errors + 1, last_error = ?, next_action_at = ?,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                        WHERE id = ? AND status = 'pending' AND lease_owner = ?
                        """,
                    arguments: [reason, UTCTime.format(retryAt), timestamp, id, owner]
                )
                return db.changesCount == 1
            }
        }
    }

    /// A status request made to check a results answer: counted with the job's polls.
    public func countPoll(id: Int64, owner: String) throws {
        try writer.write { db in
            try db.execute(
                sql:
                    "UPDATE oxylabs_jobs SET polls = polls + 1 WHERE id = ? AND status = 'pending' AND lease_owner = ?",
                arguments: [id, owner]
            )
        }
    }

    /// The results call answered 204 (or Oxylabs still calls the job pending) although it looked done:
    /// back to polling.
    public func recordNotReady(id: Int64, nextPollAt: Date, now: Date, owner: String) throws {
        let timestamp = UTCTime.format(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET remote_status = 'pending', remote_status_source = 'status',
                        next_action_at = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE id = ? AND status = 'pending' AND lease_owner = ?
                    """,
                arguments: [UTCTime.format(nextPollAt), timestamp, id, owner]
            )
        }
    }

    /// Ends a claimed pending job as `failed` (a permanent error, a deadline, expired results). Returns
    /// false when the job was no longer this process's to end.
    @discardableResult
    public func failJob(id: Int64, reason: String, now: Date, owner: String) throws -> Bool {
        let timestamp = UTCTime.format(now)
        return try writer.write { db in
            try finish(db, id: id, from: "pending", to: .failed, reason: reason, at: timestamp, owner: owner)
        }
    }

    /// Moves the first poll of `source`'s jobs not yet polled to `submitted_at + delay`, where that is
    /// earlier than planned.
    public func bringFirstPollsForward(source: String, delay: Duration) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs
                    SET next_action_at = MIN(next_action_at,
                        strftime('%Y-%m-%dT%H:%M:%fZ', submitted_at, printf('%+.3f seconds', ?)))
                    WHERE status = 'pending' AND remote_status = 'pending' AND polls = 0 AND source = ?
                      AND lease_owner IS NULL
                    """,
                arguments: [delay.seconds, source]
            )
        }
    }

    /// Drops every lease `owner` holds (jobs, tasks, token refreshes), so that another process can take over at once (graceful
    /// shutdown). Jobs left `submitting` keep their state: their submit may have reached Oxylabs.
    public func releaseLeases(owner: String) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oxylabs_jobs SET lease_owner = NULL, lease_expires_at = NULL
                    WHERE lease_owner = ? AND status != 'submitting'
                    """,
                arguments: [owner]
            )
            try db.execute(sql: "DELETE FROM harvest_leases WHERE owner = ?", arguments: [owner])
        }
    }

    /// What a worker waits for.
    public enum PipelineStep: Sendable {
        case submit, poll, fetch
    }

    /// The earliest time a job needs `step`, for a worker deciding how long to sleep.
    public func nextActionTime(for step: PipelineStep) throws -> Date? {
        let condition =
            switch step {
            case .submit: "status IN ('queued', 'submitting')"
            case .poll: "status = 'pending' AND remote_status = 'pending'"
            case .fetch: "status = 'pending' AND remote_status = 'done'"
            }
        return try writer.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT MIN(COALESCE(lease_expires_at, next_action_at)) FROM oxylabs_jobs WHERE \(condition)"
            ).flatMap(UTCTime.parse)
        }
    }

    /// The number of jobs not yet final (queued, submitting or pending).
    public func openJobCount() throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM oxylabs_jobs WHERE status IN ('queued', 'submitting', 'pending')"
            )!
        }
    }

    /// Recent completed latencies of each source (Oxylabs' own created/finished times), newest first,
    /// to seed the latency model when a process starts.
    public func recentLatencies(perSource limit: Int) throws -> [(source: String, seconds: Double)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT source, remote_created_at, remote_finished_at FROM (
                        SELECT source, remote_created_at, remote_finished_at,
                            ROW_NUMBER() OVER (PARTITION BY source ORDER BY completed_at DESC) AS n
                        FROM oxylabs_jobs
                        WHERE status = 'done' AND remote_created_at IS NOT NULL AND remote_finished_at IS NOT NULL)
                    WHERE n <= ?
                    """,
                arguments: [limit]
            ).compactMap { row in
                guard let created = (row["remote_created_at"] as String?).flatMap(UTCTime.parse),
                    let finished = (row["remote_finished_at"] as String?).flatMap(UTCTime.parse)
                else { return nil }
                return (row["source"], finished.timeIntervalSince(created))
            }
        }
    }

    // MARK: Helpers

    private func claimPending(
        remoteStatus: String,
        limit: Int,
        now: Date,
        owner: String,
        lease: Duration
    ) throws -> [PipelineJob] {
        let timestamp = UTCTime.format(now)
        let expires = UTCTime.format(now.addingTimeInterval(lease.seconds))
        return try writer.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE oxylabs_jobs SET lease_owner = ?, lease_expires_at = ?
                    WHERE id IN (
                        SELECT id FROM oxylabs_jobs
                        WHERE status = 'pending' AND remote_status = ? AND next_action_at <= ?
                          AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                        ORDER BY next_action_at LIMIT ?)
                    RETURNING *, 0 AS retaken
                    """,
                arguments: [owner, expires, remoteStatus, timestamp, timestamp, limit]
            ).map(Self.pipelineJob)
        }
    }

    /// Ends a job in a final state; false when it was not in `from` under this owner's lease.
    @discardableResult
    private func finish(
        _ db: Database,
        id: Int64,
        from: String,
        to status: JobStatus,
        reason: String,
        at timestamp: String,
        owner: String
    ) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE oxylabs_jobs SET status = ?, last_error = ?, completed_at = ?, next_action_at = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                WHERE id = ? AND status = ? AND lease_owner = ?
                """,
            arguments: [status.rawValue, reason, timestamp, timestamp, id, from, owner]
        )
        guard db.changesCount == 1 else { return false }
        try Self.recordEvent(
            db,
            subject: "job:\(id)",
            from: from,
            to: status.rawValue,
            detail: reason,
            at: timestamp
        )
        return true
    }

    private static func pipelineJob(_ row: Row) -> PipelineJob {
        PipelineJob(
            id: row["id"],
            source: row["source"],
            url: row["url"],
            query: row["query"],
            payload: row["payload"],
            resultTypes: (row["result_types"] as String).split(separator: ",").compactMap {
                ResultType(rawValue: String($0))
            },
            batchKey: row["batch_key"],
            remoteID: row["remote_id"],
            attempts: row["attempts"],
            resubmissions: row["resubmissions"],
            faults: row["faults"],
            polls: row["polls"],
            errors: row["errors"],
            submittedAt: (row["submitted_at"] as String?).flatMap(UTCTime.parse),
            lastPolledAt: (row["last_polled_at"] as String?).flatMap(UTCTime.parse),
            remoteCreatedAt: (row["remote_created_at"] as String?).flatMap(UTCTime.parse),
            remoteFinishedAt: (row["remote_finished_at"] as String?).flatMap(UTCTime.parse),
            detectedAt: (row["detected_at"] as String?).flatMap(UTCTime.parse),
            doneSaidByStatus: (row["remote_status"] as String?) == "done"
                && (row["remote_status_source"] as String?) == "status",
            isResubmission: row["retaken"] == true
        )
    }
}
