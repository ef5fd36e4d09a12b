import Foundation
import Synchronization

/// Named instants at which a test can make the process kill itself (SIGKILL), so that the dangerous
/// moments of the pipeline are hit on purpose: `HARVEST_CRASHPOINT=after-submit-before-commit`.
///
/// `HARVEST_CRASHPOINT_SKIP=N` lets the first N passes through the point go by. The points live in the store,
/// the lowest layer with a dangerous instant (its transactions); the engine hits the others.
public enum Crashpoint: String, CaseIterable, Sendable {
    /// A submit request was answered, its answer not yet committed.
    case afterSubmitBeforeCommit = "after-submit-before-commit"
    /// A job's results were downloaded, not yet committed.
    case afterFetchBeforeCommit = "after-fetch-before-commit"
    /// A poll saw a job done, not yet committed.
    case afterPollBeforeCommit = "after-poll-before-commit"
    /// A page of an Octoparse window was read, not yet committed.
    case afterPageBeforeCommit = "after-page-before-commit"
    /// A page was committed and more pages of its window remain: the window is half-stored.
    case midWindow = "mid-window"
    /// A not-exported batch was committed, its `update` not yet sent.
    case afterExportCommit = "after-export-commit"
    /// Inside a write transaction that stores harvested data (an Octoparse page with its progress, or a
    /// job's result pages), after its rows are written and before it commits.
    case midTransaction = "mid-transaction"
    /// An Octoparse token grant was answered (a refresh grant has used up the old refresh token), not yet
    /// stored: the middle of a token refresh.
    case afterGrantBeforeStore = "after-grant-before-store"

    private static let armed: (Crashpoint, Int)? = {
        let environment = ProcessInfo.processInfo.environment
        guard let name = environment["HARVEST_CRASHPOINT"], let point = Crashpoint(rawValue: name) else { return nil }
        return (point, Int(environment["HARVEST_CRASHPOINT_SKIP"] ?? "") ?? 0)
    }()
    private static let passes = Mutex(0)

    /// Kills the process if this point is armed (and its skips are used up).
    public func hit() {
        guard let (point, skip) = Self.armed, point == self else { return }
        let pass = Self.passes.withLock { count -> Int in
            count += 1
            return count
        }
        if pass > skip {
            kill(getpid(), SIGKILL)
        }
    }
}
