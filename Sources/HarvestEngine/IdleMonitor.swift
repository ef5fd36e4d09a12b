import Foundation
import HarvestStore
import ServiceLifecycle

/// Ends the service once nothing can move (`harvest serve --until-idle`): no job is open, or the open
/// ones wait on an account whose credentials were refused. It returns, and the service group then shuts
/// the other services down gracefully.
public struct IdleMonitor: Service {
    let database: HarvestDatabase
    let interval: Duration
    /// True while work is blocked by the account (refused credentials), not by time.
    let isStalled: @Sendable () -> Bool

    public init(
        database: HarvestDatabase,
        interval: Duration = .milliseconds(200),
        isStalled: @escaping @Sendable () -> Bool = { false }
    ) {
        self.database = database
        self.interval = interval
        self.isStalled = isStalled
    }

    public func run() async throws {
        var quietChecks = 0
        // Two quiet checks in a row: a job moving between workers is never counted as idle.
        while quietChecks < 2 {
            try await Task.sleep(for: interval)
            quietChecks = try database.openJobCount() == 0 || isStalled() ? quietChecks + 1 : 0
        }
    }
}
