import Foundation
import HarvestCore
import HarvestEngine
import HarvestSimulator
import HarvestStore
import OctoparseAPI
import Testing

@Suite struct OctoparseTokenKeeperCredentialsTests {
    @Test func refusedCredentialsPauseTheAccountAndCallsFailFastUntilTheProbe() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(octoparseConfiguration(), now: clock.source) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let wrong = "p&ss+w%rd 2"
            let keeper = try makeKeeper(
                endpoints,
                directory,
                password: wrong,
                clock: clock,
                credentialsRetry: .seconds(300)
            )
            let client = keeper.client
            let first = await #expect(throws: OctoparseError.self) { try await keeper.currentToken() }
            guard case .needsCredentials(let message) = first else {
                Issue.record("expected needsCredentials, got \(String(describing: first))")
                return
            }
            #expect(message.contains("The user name or password is incorrect."))
            #expect(!message.contains(wrong))
            #expect(first?.isRetryable == false)
            let account = try #require(try directory.database().accounts().first)
            #expect(account.provider == "octoparse" && account.state == "needs-credentials")
            #expect(account.username == "harvest-demo" && account.baseURL == endpoints.octoparseBaseURL)
            #expect(account.lastError?.contains(wrong) == false)
            #expect(account.lastError?.contains("incorrect") == true)
            #expect(simulator.octoparse.stats.count("POST /token") == 1)

            // Inside the retry interval every call fails fast, without a request.
            for _ in 0..<5 {
                let error = await #expect(throws: OctoparseError.self) {
                    try await keeper.withToken { token throws(OctoparseError) in
                        try await client.taskGroups(token: token)
                    }
                }
                guard case .needsCredentials = error else {
                    Issue.record("expected needsCredentials, got \(String(describing: error))")
                    return
                }
                clock.advance(by: 50)
            }
            #expect(simulator.octoparse.stats.count("POST /token") == 1)
            #expect(simulator.octoparse.stats.count("GET /api/taskgroup") == 0)

            // After it, one probe; refused again, the pause starts over.
            clock.advance(by: 51)
            await #expect(throws: OctoparseError.self) { try await keeper.currentToken() }
            await #expect(throws: OctoparseError.self) { try await keeper.currentToken() }
            #expect(simulator.octoparse.stats.count("POST /token") == 2)
            #expect(await keeper.grantsObtained == 0)

            // Concurrent callers after the interval share one probe.
            clock.advance(by: 301)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask { _ = try? await keeper.currentToken() }
                }
                try await group.waitForAll()
            }
            #expect(simulator.octoparse.stats.count("POST /token") == 3)

            // Fixed credentials (a restart with the right password): the account is working again.
            let fixed = try makeKeeper(endpoints, directory, owner: "process-b", clock: clock)
            _ = try await fixed.currentToken()
            #expect(try directory.database().accounts().map(\.state) == ["ok"])
        }
    }
}
