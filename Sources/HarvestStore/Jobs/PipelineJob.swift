import Foundation
import HarvestCore

/// A job claimed by a worker of the pipeline, with what the worker needs to act on it.
public struct PipelineJob: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var url: String?
    public var query: String?
    /// The user's payload, as JSON text.
    public var payload: String
    public var resultTypes: [ResultType]
    public var batchKey: String
    public var remoteID: String?
    public var attempts: Int
    public var resubmissions: Int
    public var faults: Int
    public var polls: Int
    public var errors: Int
    public var submittedAt: Date?
    public var lastPolledAt: Date?
    public var remoteCreatedAt: Date?
    public var remoteFinishedAt: Date?
    /// When Harvest learned the job had finished (a poll or a callback).
    public var detectedAt: Date?
    /// True when Oxylabs' status endpoint said the job is done, false when only a callback did: a results
    /// answer without a `job` object is then checked with the status endpoint before it is stored.
    public var doneSaidByStatus: Bool = false
    /// True when the claim took over a job left `submitting` by a process that died mid-submit: it is
    /// sent again, and counted as a re-submission.
    public var isResubmission: Bool
}

/// What the submitter learned about one job.
public enum SubmitOutcome: Sendable, Equatable {
    /// Oxylabs accepted it; poll first at `firstPollAt`.
    case accepted(RemoteJob, firstPollAt: Date)
    /// Try again at `retryAt` (a transient error, a 429, refused credentials).
    case retry(at: Date, reason: String)
    /// Put back until `until` without counting an error: the account, not the job, was refused.
    case postpone(until: Date, reason: String)
    /// Oxylabs accepted it but its answer could not be read: submit it again at `retryAt`, counted as a
    /// re-submission (the first copy runs upstream under an id Harvest never learns; its results are not
    /// fetched), as after a crash between a submit and its commit.
    case resend(at: Date, reason: String)
    /// Permanently refused (validation): the job fails.
    case failed(String)
}
