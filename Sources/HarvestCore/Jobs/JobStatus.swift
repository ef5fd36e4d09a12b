/// Where an Oxylabs job is in its life; stored as text in `oxylabs_jobs.status`.
///
/// `done` means the results are stored locally, not merely that Oxylabs finished the job.
public enum JobStatus: String, NamedChoice, Sendable, Codable {
    /// Enqueued locally, not yet sent.
    case queued
    /// A submit request is (or was, before a crash) in flight; the remote id is not yet known.
    case submitting
    /// Accepted by Oxylabs, not finished there or its results not yet stored here.
    case pending
    /// Results stored locally.
    case done
    /// Oxylabs gave up on the job (after Harvest's re-submissions).
    case faulted
    /// Harvest gave up: a permanent error, or a deadline passed.
    case failed
    /// Stopped by the user.
    case cancelled

    /// A final job is never worked on again unless the user retries it.
    public var isFinal: Bool {
        switch self {
        case .done, .faulted, .failed, .cancelled: true
        case .queued, .submitting, .pending: false
        }
    }

    /// Whether `harvest jobs cancel` applies.
    public var isCancellable: Bool {
        self == .queued || self == .pending || self == .submitting
    }

    public static let choiceName = "job status"
}
