/// A storage-time window `[from, to)` in whole seconds since 1970 (UTC): Octoparse storage times have
/// second precision, so windows that share an edge neither overlap nor leave a gap.
public struct StorageWindow: Hashable, Sendable, CustomStringConvertible {
    public var from: Int64
    public var to: Int64

    public init(from: Int64, to: Int64) {
        precondition(from < to, "a storage window is at least one second long")
        self.from = from
        self.to = to
    }

    public var length: Int64 { to - from }

    /// The `to` parameter that asks Octoparse for exactly this window: its last second when the API's
    /// `to` is inclusive, its end otherwise.
    public func toParameter(inclusive: Bool) -> Int64 { inclusive ? to - 1 : to }

    public var description: String { "[\(from), \(to))" }
}

/// How big the next storage-time window is: sized from the totals the API reports, so that a sparse year
/// is one window and a dense minute is split, and starting from the distant past costs a few requests.
public struct WindowSizing: Sendable, Equatable {
    /// Rows a window is sized for (five 1,000-row pages).
    public var targetRows = 5_000
    /// A window reporting more rows than this is shrunk before any of it is stored (a one-second window
    /// is taken whatever its size).
    public var maximumRows = 10_000
    /// How much longer than the previous one a window may grow.
    public var maximumGrowth: Int64 = 8

    /// Where a task registered without `--from` starts: before Octoparse stored any row.
    public static let distantPast: Int64 = 1_262_304_000  // 2010-01-01T00:00:00Z

    public init() {}

    /// Whether a window of `length` seconds reporting `rows` rows is fetched as it is.
    public func accepts(rows: Int, length: Int64) -> Bool {
        rows <= maximumRows || length <= 1
    }

    /// The length to try instead when a window is refused: proportional to the density seen, and at most
    /// half, so that a burst of rows after a long empty stretch is found by bisection.
    public func shrunk(length: Int64, rows: Int) -> Int64 {
        let proportional = Int64((Double(length) * Double(targetRows) / Double(max(rows, 1))).rounded(.down))
        return max(1, min(length / 2, proportional))
    }

    /// The length of the window after one of `length` seconds that held `rows` rows.
    public func next(after length: Int64, rows: Int) -> Int64 {
        guard rows > 0 else { return Self.saturatingMultiply(length, maximumGrowth) }
        let proportional = Int64(min(Double(length) * Double(targetRows) / Double(rows), 1e15).rounded(.down))
        return max(1, min(proportional, Self.saturatingMultiply(length, maximumGrowth)))
    }

    /// The next window from `cursor`, `length` long but ending no later than `horizon`; nil when the
    /// cursor has reached the horizon.
    public func window(from cursor: Int64, length: Int64, horizon: Int64) -> StorageWindow? {
        guard cursor < horizon else { return nil }
        let end = horizon - cursor <= length ? horizon : cursor + max(1, length)
        return StorageWindow(from: cursor, to: end)
    }

    private static func saturatingMultiply(_ value: Int64, _ factor: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? Int64.max / 2 : product
    }
}

/// Plans the windows of one sync from the totals the API reports: proportional to the density seen,
/// and a bisection towards the first rows when a crowded stretch follows an empty one.
public struct WindowPlanner: Sendable {
    public let sizing: WindowSizing
    /// The length of the next window; nil until one is known (the first window reaches the horizon).
    public private(set) var length: Int64?
    /// A stretch known to hold more rows than a window may: it ends at `end` and holds `rows` rows.
    private var crowded: (end: Int64, rows: Int)?
    /// Rows per second of the last window read whole; nil until one was.
    public private(set) var density: Double?

    public init(sizing: WindowSizing = WindowSizing(), length: Int64? = nil) {
        self.sizing = sizing
        self.length = length
    }

    /// The next window from `cursor`, ending no later than `horizon`; nil when there is nothing to read.
    public func window(from cursor: Int64, horizon: Int64) -> StorageWindow? {
        sizing.window(from: cursor, length: length ?? (horizon - cursor), horizon: horizon)
    }

    /// The API reported `rows` rows in `window`, too many to take at once.
    public mutating func refused(_ window: StorageWindow, rows: Int) {
        crowded = (window.to, rows)
        length = sizing.shrunk(length: window.length, rows: rows)
    }

    /// The rows `window` should hold at the density seen last; nil before any window was read whole.
    public func expectedRows(in window: StorageWindow) -> Int? {
        density.map { Int(min($0 * Double(window.length), Double(Int32.max)).rounded()) }
    }

    /// `window` was read whole: it held `rows` rows.
    public mutating func accepted(_ window: StorageWindow, rows: Int) {
        density = Double(rows) / Double(window.length)
        guard var stretch = crowded, window.to < stretch.end else {
            crowded = nil
            length = sizing.next(after: window.length, rows: rows)
            return
        }
        stretch.rows -= rows
        let remaining = stretch.end - window.to
        guard stretch.rows > sizing.maximumRows else {
            crowded = nil
            length = sizing.next(after: window.length, rows: rows)
            return
        }
        crowded = stretch
        if rows > 0 {
            length = sizing.next(after: window.length, rows: rows)
        } else {
            // The rows lie further on: halve the distance to them rather than walk it.
            length = max(sizing.shrunk(length: remaining, rows: stretch.rows), remaining / 2)
        }
    }
}
