import HarvestCore

/// Why the store refused an operation. Messages name the thing concerned and never contain a secret.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file cannot be opened or created at `path`.
    case cannotOpen(path: String, reason: String)
    /// An applied migration's SQL differs from the one compiled into this binary.
    case tamperedMigration(fileName: String)
    /// The database was migrated by a newer Harvest.
    case unknownMigration(fileName: String)
    /// No job with this id.
    case jobNotFound(Int64)
    /// The job is in a state the operation does not apply to.
    case jobStateConflict(id: Int64, status: JobStatus, operation: String)
    /// The idempotency key is already used by a job with a different request.
    case idempotencyConflict(key: String, jobID: Int64)
    /// No task with this id.
    case taskNotFound(String)
    /// The task is already registered.
    case taskExists(String)
    /// The task is in a state the operation does not apply to.
    case taskStateConflict(id: String, reason: String)
    /// A backup cannot be written at `path`.
    case cannotBackUp(path: String, reason: String)
    /// The result page's content was dropped by `harvest prune`.
    case resultPruned(jobID: Int64, at: String)

    /// Whether the error is the user's input (exit status 2) rather than a runtime failure.
    public var isInputError: Bool {
        switch self {
        case .cannotOpen, .tamperedMigration, .unknownMigration: false
        case .jobNotFound, .jobStateConflict, .idempotencyConflict, .taskNotFound, .taskExists, .taskStateConflict,
            .cannotBackUp, .resultPruned:
            true
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open database \(path): \(reason)"
        case .tamperedMigration(let fileName):
            "migration \(fileName) was changed after it was applied to this database; restore the original file "
                + "and add a new migration instead"
        case .unknownMigration(let fileName):
            "this database has migration \(fileName), which this harvest does not know: it was migrated by a "
                + "newer version"
        case .jobNotFound(let id):
            "no job with id \(id)"
        case .jobStateConflict(let id, let status, let operation):
            "job \(id) is \(status.rawValue): cannot \(operation) it"
        case .idempotencyConflict(let key, let jobID):
            "idempotency key \(key.quotedForMessage) is already used by job \(jobID) with a different request"
        case .taskNotFound(let id):
            "no task with id \(id.quotedForMessage)"
        case .taskExists(let id):
            "task \(id) is already registered"
        case .taskStateConflict(let id, let reason):
            "task \(id): \(reason)"
        case .cannotBackUp(let path, let reason):
            "cannot back up to \(path): \(reason)"
        case .resultPruned(let jobID, let at):
            "the results of job \(jobID) were pruned at \(at) (harvest prune); the job's row and result sizes remain"
        }
    }
}
