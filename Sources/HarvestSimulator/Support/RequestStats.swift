import Synchronization

/// Counts of requests by endpoint and of injected faults, for the ground truth under `/__sim/stats`.
public final class RequestStats: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    /// Adds one to `key` (an endpoint name such as `GET /v1/queries/{id}`, or `fault.reset`).
    public func record(_ key: String, by amount: Int = 1) {
        counts.withLock { $0[key, default: 0] += amount }
    }

    /// The current counts.
    public func snapshot() -> [String: Int] {
        counts.withLock { $0 }
    }

    public func count(_ key: String) -> Int {
        counts.withLock { $0[key] ?? 0 }
    }
}
