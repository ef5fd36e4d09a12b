/// Bisections over storage time with one-row requests, shared by the by-time sync and `harvest doctor`:
/// whether the API's `to` is inclusive (and the first second holding rows), and the latest row of a
/// window. The requests are the caller's (`holdsRows`); this type only decides what to ask next, so it
/// is tested without a server.
public enum StorageTimeSearch {
    /// What ``toReading(in:holdsRows:)`` found.
    public struct ToReading: Sendable, Equatable {
        /// Whether the API's `to` includes the rows stored exactly at `to`.
        public var inclusive: Bool
        /// The first second of the window that holds rows.
        public var firstRowSecond: Int64

        public init(inclusive: Bool, firstRowSecond: Int64) {
            self.inclusive = inclusive
            self.firstRowSecond = firstRowSecond
        }
    }

    /// Whether the API's `to` is inclusive, from a window known to hold rows: find the first second `s`
    /// such that the raw parameters `[from, s]` hold rows, then ask for the one-second window `[s, s]`.
    /// Under the inclusive reading it holds the rows stored at `s`; under the exclusive one it is always
    /// empty (and the rows are at `s - 1`). About log2(window length) one-row requests; rows are looked at,
    /// never `total`.
    ///
    /// - Parameter holdsRows: whether a request with the raw `from` and `to` parameters (seconds since
    ///   1970, as the configured zone reads them) answers any row.
    public static func toReading(
        in window: StorageWindow,
        holdsRows: (_ from: Int64, _ to: Int64) async throws -> Bool
    ) async rethrows -> ToReading {
        if try await holdsRows(window.from, window.from) {
            return ToReading(inclusive: true, firstRowSecond: window.from)
        }
        var low = window.from
        var high = window.to
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if try await holdsRows(window.from, middle) { high = middle } else { low = middle }
        }
        let inclusive = try await holdsRows(high, high)
        return ToReading(inclusive: inclusive, firstRowSecond: inclusive ? high : low)
    }

    /// The storage time of the latest row in `window` (in seconds since 1970, as the configured zone reads
    /// it), by bisection with one-row requests; nil when the window holds none.
    ///
    /// - Parameter holdsRows: whether the given window (asked for as the API reads `to`) holds any row.
    public static func latestRowTime(
        in window: StorageWindow,
        holdsRows: (StorageWindow) async throws -> Bool
    ) async rethrows -> Int64? {
        guard try await holdsRows(window) else { return nil }
        var low = window.from
        var high = window.to
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if try await holdsRows(StorageWindow(from: middle, to: window.to)) { low = middle } else { high = middle }
        }
        return low
    }
}
