import GRDB
import HarvestCore

/// A row of `oxylabs_jobs`.
public struct JobRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "oxylabs_jobs"

    public var id: Int64
    public var remoteID: String?
    public var source: String
    public var url: String?
    public var query: String?
    public var payload: String
    public var resultTypes: String
    public var batchKey: String
    public var idempotencyKey: String?
    public var status: JobStatus
    public var attempts: Int
    public var resubmissions: Int
    public var faults: Int
    public var polls: Int
    public var lastError: String?
    public var nextActionAt: String?
    public var createdAt: String
    public var submittedAt: String?
    public var completedAt: String?
    public var updatedAt: String
    public var remoteStatus: String?
    public var remoteCreatedAt: String?
    public var remoteFinishedAt: String?
    public var lastPolledAt: String?
    public var errors: Int
    public var leaseOwner: String?
    public var leaseExpiresAt: String?
    public var detectedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, source, url, query, payload, status, attempts, resubmissions, faults, polls, errors
        case remoteStatus = "remote_status"
        case remoteCreatedAt = "remote_created_at"
        case remoteFinishedAt = "remote_finished_at"
        case lastPolledAt = "last_polled_at"
        case leaseOwner = "lease_owner"
        case leaseExpiresAt = "lease_expires_at"
        case detectedAt = "detected_at"
        case remoteID = "remote_id"
        case resultTypes = "result_types"
        case batchKey = "batch_key"
        case idempotencyKey = "idempotency_key"
        case lastError = "last_error"
        case nextActionAt = "next_action_at"
        case createdAt = "created_at"
        case submittedAt = "submitted_at"
        case completedAt = "completed_at"
        case updatedAt = "updated_at"
    }
}

/// A stored result page, without its content.
public struct ResultSummary: Codable, Sendable, Equatable, FetchableRecord {
    public var type: String
    public var page: Int
    public var statusCode: Int?
    public var url: String?
    public var bytes: Int
    public var fetchedAt: String
    /// When `harvest prune` dropped the content; nil while it is stored.
    public var prunedAt: String?

    enum CodingKeys: String, CodingKey {
        case type, page, url, bytes
        case statusCode = "status_code"
        case fetchedAt = "fetched_at"
        case prunedAt = "pruned_at"
    }
}

/// A row of `harvest_events`.
public struct EventRecord: Codable, Sendable, Equatable, FetchableRecord {
    public var at: String
    public var subject: String
    public var fromState: String?
    public var toState: String?
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case at, subject, detail
        case fromState = "from_state"
        case toState = "to_state"
    }
}

/// Everything `harvest jobs show` prints about a job.
public struct JobDetails: Sendable, Equatable {
    public var job: JobRecord
    public var results: [ResultSummary]
    public var events: [EventRecord]
}
