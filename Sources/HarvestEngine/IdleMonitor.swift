import Foundation
import HarvestStore
import ServiceLifecycle

/// Ends the service once nothing can move (`harvest serve --until-idle`): no job is open (or the open
/// ones wait on an account whose credentials were refused) and every enabled task has caught up. It returns, and the service group then shuts
/// the other services down gracefully.
public struct IdleMonitor: Service, CustomStringConvertible {
    let database: HarvestDatabase
    let interval: Duration
    /// True while job work is blocked by the account (refused credentials), not by time.
    let isStalled: @Sendable () -> Bool
    /// Enabled tasks that have not caught up (0 when their account is paused).
    let tasksBehind: @Sendable () throws -> Int

    public init(
        database: HarvestDatabase,
        interval: Duration = .milliseconds(200),
        isStalled: @escaping @Sendable () -> Bool = { false },
        tasksBehind: @escaping @Sendable () throws -> Int = { 0 }
    ) {
        self.database = database
        self.interval = interval
        self.isStalled = isStalled
        self.tasksBehind = tasksBehind
    }

    /// The service's name in ServiceLifecycle's log events.
    public var description: String { "IdleMonitor" }

    public func run() async throws {
        var quietChecks = 0
        // Two quiet checks in a row: a job moving between workers is never counted as idle.
        while quietChecks < 2 {
            try await Task.sleep(for: interval)
            let jobsQuiet = try database.openJobCount() == 0 || isStalled()
            let tasksQuiet = try tasksBehind() == 0
            quietChecks = jobsQuiet && tasksQuiet ? quietChecks + 1 : 0
        }
    }
}
