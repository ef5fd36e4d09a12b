import Foundation
import HarvestStore
import ServiceLifecycle

/// Ends the service once no job is open (`harvest serve --until-idle`): it returns, and the service
/// group then shuts the other services down gracefully.
public struct IdleMonitor: Service {
    let database: HarvestDatabase
    let interval: Duration

    public init(database: HarvestDatabase, interval: Duration = .milliseconds(200)) {
        self.database = database
        self.interval = interval
    }

    public func run() async throws {
        var quietChecks = 0
        // Two quiet checks in a row: a job moving between workers is never counted as idle.
        while quietChecks < 2 {
            try await Task.sleep(for: interval)
            quietChecks = try database.openJobCount() == 0 ? quietChecks + 1 : 0
        }
    }
}
