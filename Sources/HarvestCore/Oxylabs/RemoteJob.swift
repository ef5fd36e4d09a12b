import Foundation

/// A job as Oxylabs reports it: the few of its thirty fields Harvest acts on.
///
/// Unknown fields are ignored and missing optional ones tolerated, as the API grows fields over time.
public struct RemoteJob: Sendable, Equatable {
    /// Oxylabs' job id: a 19-digit decimal string, never a number.
    public var id: String
    public var status: RemoteJobStatus
    /// When Oxylabs created the job, in its clock (second precision).
    public var createdAt: Date?
    /// The finish time once the job is final, in Oxylabs' clock (second precision).
    public var updatedAt: Date?
    /// The local job id Harvest sent, echoed back.
    public var clientNotes: String?
    public var url: String?
    public var query: String?

    public init(
        id: String,
        status: RemoteJobStatus,
        createdAt: Date? = nil,
        updatedAt: Date? = nil,
        clientNotes: String? = nil,
        url: String? = nil,
        query: String? = nil
    ) {
        self.id = id
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.clientNotes = clientNotes
        self.url = url
        self.query = query
    }
}

/// Oxylabs' job lifecycle: `pending` → `done` | `faulted`.
public enum RemoteJobStatus: Sendable, Equatable {
    case pending
    case done
    case faulted
    /// A status this version does not know; treated as still pending, and logged.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "pending": self = .pending
        case "done": self = .done
        case "faulted": self = .faulted
        default: self = .other(text)
        }
    }

    /// A short name for logs and metrics: an unknown status (which a callback's sender chooses) is `other`.
    public var label: String {
        switch self {
        case .pending: "pending"
        case .done: "done"
        case .faulted: "faulted"
        case .other: "other"
        }
    }
}

/// One page of one result type, as stored in `oxylabs_results`.
public struct ResultPage: Sendable, Equatable {
    public var type: ResultType
    public var page: Int
    /// The target site's status code (a done job can hold a 404 page).
    public var statusCode: Int?
    public var url: String?
    public var content: ResultContent

    public init(type: ResultType, page: Int, statusCode: Int?, url: String?, content: ResultContent) {
        self.type = type
        self.page = page
        self.statusCode = statusCode
        self.url = url
        self.content = content
    }
}

/// A result's content in the form it is stored: HTML text, JSON text, or PNG bytes.
public enum ResultContent: Sendable, Equatable {
    case text(String)
    case json(String)
    case bytes([UInt8])

    /// Size in bytes, for `oxylabs_results.bytes` and metrics.
    public var byteCount: Int {
        switch self {
        case .text(let text), .json(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        }
    }
}
