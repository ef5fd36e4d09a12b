/// A task of a group, as `GET /api/task` lists it.
public struct OctoparseTaskSummary: Sendable, Equatable {
    /// `taskId`, a GUID.
    public var id: String
    /// `taskName`; may be empty.
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
