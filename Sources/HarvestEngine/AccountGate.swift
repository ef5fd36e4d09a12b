import Foundation
import HarvestStore
import Logging
import Synchronization

/// Stops all calls to a provider whose credentials were refused, without burning any job's retries,
/// and makes the state visible (`harvest_accounts`, `harvest status`, `/readyz`).
///
/// Credentials cannot change while the process runs, but an operator may fix the account upstream: the
/// gate lets calls through again after `probeInterval`, and a refusal closes it for another interval.
public final class AccountGate: Sendable {
    private let closedUntil = Mutex<Date?>(nil)
    /// Whether a call has succeeded in this process (the stored state may still say otherwise).
    private let confirmed = Mutex(false)
    let probeInterval: TimeInterval

    public init(probeInterval: Duration = .seconds(60)) {
        self.probeInterval = probeInterval.seconds
    }

    /// Whether calls may be made now.
    public func isOpen(at now: Date) -> Bool {
        closedUntil.withLock { until in
            guard let closed = until else { return true }
            return now >= closed
        }
    }

    /// When the gate will let a probe through (nil: open).
    public func reopensAt() -> Date? {
        closedUntil.withLock { $0 }
    }

    /// Credentials refused: close for a probe interval; true when this changed the state.
    @discardableResult
    public func refused(at now: Date) -> Bool {
        closedUntil.withLock { until in
            let wasOpen = until == nil
            until = now.addingTimeInterval(probeInterval)
            return wasOpen
        }
    }

    /// A call succeeded: open; true when this changed the state, or is the first success of this
    /// process (a previous process may have left the account marked as refused).
    @discardableResult
    public func accepted() -> Bool {
        let first = confirmed.withLock { confirmed in
            defer { confirmed = true }
            return !confirmed
        }
        let wasClosed = closedUntil.withLock { until in
            defer { until = nil }
            return until != nil
        }
        return first || wasClosed
    }
}
