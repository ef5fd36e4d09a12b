import Foundation
import HarvestCore
import Synchronization

/// The latency models of all sources, shared by the workers of one process.
public final class LatencyTracker: Sendable {
    private let history = Mutex(LatencyHistory())

    public init() {}

    /// Records a latency; true when the source's model has just replaced the prior.
    @discardableResult
    public func record(source: String, seconds: Double) -> Bool {
        history.withLock { $0.record(source: source, seconds: seconds) }
    }

    public func model(for source: String) -> LatencyModel {
        history.withLock { $0.model(for: source) }
    }
}
