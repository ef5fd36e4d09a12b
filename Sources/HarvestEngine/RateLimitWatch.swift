import Foundation
import Synchronization

/// Since when every answer of a provider has been "too many requests", so that `/readyz` can tell a
/// service that is throttled into a stall from one that is merely being paced.
public final class RateLimitWatch: Sendable {
    private let since = Mutex<Date?>(nil)

    public init() {}

    /// A request was refused with 429.
    public func limited(at now: Date) {
        since.withLock { if $0 == nil { $0 = now } }
    }

    /// A request went through.
    public func succeeded() {
        since.withLock { $0 = nil }
    }

    /// The first 429 since the last success, or nil.
    public var limitedSince: Date? {
        since.withLock { $0 }
    }
}
