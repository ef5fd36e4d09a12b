import Foundation
import HarvestCore

/// What `harvest status` shows to answer "is it healthy?": jobs by state and the oldest open one, each
/// task's lag and state, the latest job errors, and each account's state and token expiry. Ages are
/// measured from `generatedAt`. Holds no secret: no token, no password.
public struct HealthReport: Sendable, Equatable {
    /// The instant the ages and lags are measured from.
    public var generatedAt: Date
    /// Jobs per status; every status is present, zero when none.
    public var jobs: [JobStatus: Int]
    /// The oldest job not yet final (queued, submitting or pending).
    public var oldestOpenJob: OpenJob?
    public var tasksEnabled: Int
    public var tasksDisabled: Int
    public var tasksFailed: Int
    public var rowsHarvested: Int64
    /// Enabled tasks and any task with an error: failed first, then with an error, then the most behind.
    public var tasks: [TaskHealth]
    /// The latest errors of jobs that are open or ended faulted or failed, most recent first.
    public var recentJobErrors: [JobError]
    public var accounts: [AccountHealth]

    /// The oldest open job.
    public struct OpenJob: Sendable, Equatable {
        public var id: Int64
        public var status: JobStatus
        public var createdAt: Date
        /// Seconds since it was created.
        public var age: TimeInterval
    }

    /// A task's progress and state.
    public struct TaskHealth: Sendable, Equatable {
        public var taskID: String
        public var name: String
        public var enabled: Bool
        public var mode: TaskMode
        /// `active` or `failed`.
        public var state: String
        public var cursor: Date?
        /// Seconds between the cursor and `generatedAt` (by-time tasks with a cursor).
        public var lag: TimeInterval?
        public var caughtUp: Bool
        public var lastSyncedAt: Date?
        public var lastError: String?
        public var rowsHarvested: Int64
    }

    /// A job's last error.
    public struct JobError: Sendable, Equatable {
        public var id: Int64
        public var remoteID: String?
        public var status: JobStatus
        public var error: String
        /// When the job last changed (when the error was recorded).
        public var at: Date
    }

    /// An upstream account's state and, for Octoparse, when its token expires.
    public struct AccountHealth: Sendable, Equatable {
        public var provider: String
        public var baseURL: String
        public var username: String
        /// `ok`, `needs-credentials`, `rate-limited`, or `unknown` for a token whose account was never
        /// recorded.
        public var state: String
        public var lastError: String?
        /// When the state last changed (nil for a token whose account was never recorded).
        public var updatedAt: Date?
        public var tokenExpiresAt: Date?
        /// Seconds from `generatedAt` until the token expires (negative once it has).
        public var tokenExpiresIn: TimeInterval?
        /// Oxylabs: the submissions per second a service last used (nil before any submission).
        public var submissionRate: Double?
        /// Oxylabs: the limit its rate headers announce; nil when none was announced (the rate is probed).
        public var submissionLimit: Int?
        /// Oxylabs: the rate in use when the last 429 came (nil before any).
        public var submissionRateRefused: Double?
        /// Octoparse: what has been learned of how the account's server answers where the documents
        /// leave it open.
        public var readings: OctoparseReadings?
    }
}
