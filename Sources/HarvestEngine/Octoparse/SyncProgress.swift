import Synchronization

/// What syncing has done so far, for `harvest tasks sync`'s progress line and the closing summary.
public final class SyncProgress: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// New rows stored.
        public var rows = 0
        /// Data pages read.
        public var pages = 0
        /// The window or position being read, as text.
        public var position = ""
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func record(rows: Int, pages: Int = 1, position: String? = nil) {
        state.withLock { state in
            state.rows += rows
            state.pages += pages
            if let position { state.position = position }
        }
    }
}
