/// A task group of the account (`GET /api/taskgroup`).
public struct OctoparseTaskGroup: Sendable, Equatable {
    /// `taskGroupId`, an integer upstream.
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
