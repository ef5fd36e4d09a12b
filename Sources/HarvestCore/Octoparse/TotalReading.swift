/// What the `total` of a by-time answer counts. The seed says the answer is "the same" as `/api/alldata`,
/// whose `total` counts the whole task; a server may as well count the window asked for. Undocumented
/// (PROTOCOL.md), so Harvest learns it per account and is correct under either: a window is read until a
/// short or empty page whatever `total` says, and `total` only sizes windows once it is known to count them.
public enum TotalReading: String, Sendable, Equatable, CaseIterable, NamedChoice {
    public static let choiceName = "by-time total reading"

    /// `total` is the number of rows in the window asked for.
    case window
    /// `total` counts more than the window (the whole task, as in `/api/alldata`).
    case task

    /// What one window read whole in one consistent pass says about the reading, or nil when it cannot
    /// tell.
    ///
    /// - Parameters:
    ///   - rowsRead: the rows the window's pages held.
    ///   - total: the `total` its pages reported.
    ///   - rowsElsewhere: rows of the task stored outside this window. When the window held as many rows
    ///     as `total` while the task holds others, `total` cannot be the task's count.
    public static func evidence(rowsRead: Int, total: Int, rowsElsewhere: Int) -> TotalReading? {
        if rowsRead != total { return .task }
        return rowsElsewhere > 0 ? .window : nil
    }

    /// An upper bound on the rows of a window whose answer reported `total`, under either reading: the
    /// window's count, or a count of more than the window.
    public static func pagesAtMost(total: Int, pageSize: Int) -> Int {
        max(1, (max(0, total) + pageSize - 1) / pageSize)
    }
}
