/// The database at the end of a run, as plain values: what the checks compare with the ground truth.
public struct DatabaseObservation: Sendable, Equatable {
    public var jobs: [ObservedJob] = []
    public var results: [ObservedResult] = []
    public var tasks: [ObservedTask] = []
    public var windows: [ObservedWindow] = []
    public var leases: [ObservedLease] = []

    public init() {}
}

/// One row of `oxylabs_jobs`, with what the event log says about it.
public struct ObservedJob: Sendable, Equatable {
    public var id: Int64
    public var status: String
    public var remoteID: String?
    public var resultTypes: [String]
    public var resubmissions: Int
    /// The re-submissions made because Oxylabs accepted a submission whose answer was lost (the others come
    /// from processes that stopped in the submit gap).
    public var lostAnswerResubmissions: Int
    public var faults: Int
    public var leaseOwner: String?
    public var lastError: String?
    /// Events that moved the job into a final state (done, faulted, failed, cancelled).
    public var finalTransitions: Int
    /// Every remote id the job was given, from the event log, oldest first.
    public var remoteIDs: [String]

    public init(
        id: Int64,
        status: String,
        remoteID: String? = nil,
        resultTypes: [String] = ["raw"],
        resubmissions: Int = 0,
        lostAnswerResubmissions: Int = 0,
        faults: Int = 0,
        leaseOwner: String? = nil,
        lastError: String? = nil,
        finalTransitions: Int = 0,
        remoteIDs: [String] = []
    ) {
        self.id = id
        self.status = status
        self.remoteID = remoteID
        self.resultTypes = resultTypes
        self.resubmissions = resubmissions
        self.lostAnswerResubmissions = lostAnswerResubmissions
        self.faults = faults
        self.leaseOwner = leaseOwner
        self.lastError = lastError
        self.finalTransitions = finalTransitions
        self.remoteIDs = remoteIDs
    }
}

/// One row of `oxylabs_results`, reduced to what identifies it and whether its content is the job's.
public struct ObservedResult: Sendable, Equatable {
    public var jobID: Int64
    public var type: String
    public var page: Int
    /// `bytes` as recorded, and the length of `content` as stored.
    public var bytes: Int
    public var contentBytes: Int
    /// Whether the content is the one Oxylabs serves for the job's remote id (the id appears in raw and
    /// parsed content; a PNG starts with the PNG signature).
    public var belongsToJob: Bool

    public init(jobID: Int64, type: String, page: Int, bytes: Int, contentBytes: Int, belongsToJob: Bool) {
        self.jobID = jobID
        self.type = type
        self.page = page
        self.bytes = bytes
        self.contentBytes = contentBytes
        self.belongsToJob = belongsToJob
    }
}

/// One registered Octoparse task and its table, as a multiset of rows.
public struct ObservedTask: Sendable, Equatable {
    public var id: String
    public var mode: String
    public var state: String
    public var lastError: String?
    public var cursor: String?
    public var exportBatch: String?
    public var rowsHarvested: Int
    /// The table's rows, each as ``RowMultiset/canonical(_:)`` text, with how many times it occurs.
    public var rows: [String: Int]
    /// Rows whose `_storage_window` names no recorded window of the task.
    public var rowsOutsideWindows: Int

    public init(
        id: String,
        mode: String = "by-time",
        state: String = "active",
        lastError: String? = nil,
        cursor: String? = nil,
        exportBatch: String? = nil,
        rowsHarvested: Int = 0,
        rows: [String: Int] = [:],
        rowsOutsideWindows: Int = 0
    ) {
        self.id = id
        self.mode = mode
        self.state = state
        self.lastError = lastError
        self.cursor = cursor
        self.exportBatch = exportBatch
        self.rowsHarvested = rowsHarvested
        self.rows = rows
        self.rowsOutsideWindows = rowsOutsideWindows
    }
}

/// One row of `octoparse_windows`, with the rows its task's table holds for it.
public struct ObservedWindow: Sendable, Equatable {
    public var id: Int64
    public var taskID: String
    /// Boundaries as stored: fixed-width UTC text, so text order is time order.
    public var from: String
    public var to: String
    public var state: String
    public var rowsStored: Int
    public var rowsInTable: Int

    public init(
        id: Int64,
        taskID: String,
        from: String,
        to: String,
        state: String = "complete",
        rowsStored: Int = 0,
        rowsInTable: Int = 0
    ) {
        self.id = id
        self.taskID = taskID
        self.from = from
        self.to = to
        self.state = state
        self.rowsStored = rowsStored
        self.rowsInTable = rowsInTable
    }
}

/// One row of `harvest_leases`.
public struct ObservedLease: Sendable, Equatable {
    public var resource: String
    public var owner: String
    public var expiresAt: String

    public init(resource: String, owner: String, expiresAt: String) {
        self.resource = resource
        self.owner = owner
        self.expiresAt = expiresAt
    }
}

/// The fakes' ground truth at the end of a run.
public struct UpstreamObservation: Sendable, Equatable {
    public var jobs: [UpstreamJob] = []
    public var tasks: [UpstreamTask] = []
    /// Octoparse token grants issued (password and refresh), and how many token lifetimes (the forced
    /// expiry) the run lasted.
    public var tokenGrants = 0
    public var tokenLifetimes = 0.0

    public init() {}
}

/// One job Oxylabs accepted.
public struct UpstreamJob: Sendable, Equatable {
    public var id: String
    public var status: String
    public var clientNotes: String?
    public var pages: Int

    public init(id: String, status: String, clientNotes: String? = nil, pages: Int = 1) {
        self.id = id
        self.status = status
        self.clientNotes = clientNotes
        self.pages = pages
    }

    /// The local job ids its `client_notes` name (`harvest job 7`, `harvest jobs 7,8,9`).
    public var namedJobs: [Int64] {
        (clientNotes ?? "").split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
    }
}

/// One Octoparse task with every row a client can read, as a multiset.
public struct UpstreamTask: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var rows: [String: Int]

    public init(id: String, kind: String, rows: [String: Int]) {
        self.id = id
        self.kind = kind
        self.rows = rows
    }
}

/// Rows compared as multisets: a row is its non-null fields under their Octoparse names.
public enum RowMultiset {
    /// A row as one text: its fields sorted by name, with separators no field holds.
    public static func canonical(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    /// The rows `stored` lacks and the rows it has too many of, compared with `upstream`.
    public static func difference(stored: [String: Int], upstream: [String: Int]) -> (missing: Int, extra: Int) {
        var missing = 0
        var extra = 0
        for (row, count) in upstream {
            missing += max(0, count - stored[row, default: 0])
        }
        for (row, count) in stored {
            extra += max(0, count - upstream[row, default: 0])
        }
        return (missing, extra)
    }
}
