import Foundation
import GRDB
import HarvestCore
import HarvestEngine
import HarvestSimulator
import HarvestStore
import OctoparseAPI
import Synchronization
import Testing

@Suite struct OctoparseTokenKeeperTests {
    @Test func concurrentCallersShareOneGrant() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let keeper = try makeKeeper(endpoints, directory)
            let client = keeper.client
            let groups = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await keeper.withToken { token throws(OctoparseError) in
                            try await client.taskGroups(token: token).count
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(groups.count == 20 && groups.allSatisfy { $0 > 0 })
            #expect(grantCount(simulator) == 1)
            #expect(await keeper.grantsObtained == 1)
            // The grant was stored, and the account marked as working.
            #expect(try storedTokenRow(directory)?.access == (try await keeper.currentToken()))
            #expect(try directory.database().accounts().map(\.state) == ["ok"])
        }
    }

    @Test func twoProcessesOnOneFileMakeOneGrantBetweenThem() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            // Two owners, two connection pools on the same file: two `harvest` processes.
            let first = try makeKeeper(endpoints, directory, owner: "process-a")
            let second = try makeKeeper(endpoints, directory, owner: "process-b")
            async let a = first.currentToken()
            async let b = second.currentToken()
            let (tokenA, tokenB) = try await (a, b)
            #expect(tokenA == tokenB)
            #expect(grantCount(simulator) == 1)
            #expect(await first.grantsObtained + second.grantsObtained == 1)

            // A process started later reuses the stored token too.
            let third = try makeKeeper(endpoints, directory, owner: "process-c")
            #expect(try await third.currentToken() == tokenA)
            #expect(await third.grantsObtained == 0)
            #expect(grantCount(simulator) == 1)
        }
    }

    @Test func whileAnotherProcessHoldsTheLeaseTheKeeperWaitsForItsToken() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let other = try directory.database()
            let account = octoparseClient(endpoints).account
            let resource = "token:\(account.baseURL):\(account.username)"
            #expect(try other.acquireLease(resource: resource, owner: "other-process", for: .seconds(30), now: Date()))
            let keeper = try makeKeeper(endpoints, directory)
            async let waiting = keeper.currentToken()
            // The other process obtains a token, stores it and lets the lease go.
            let token = try await octoparseClient(endpoints).passwordGrant()
            try other.saveToken(
                baseURL: account.baseURL,
                username: account.username,
                accessToken: token.accessToken,
                refreshToken: token.refreshToken,
                expiresAt: token.expiresAt,
                obtainedAt: token.obtainedAt
            )
            try other.releaseLease(resource: resource, owner: "other-process")
            #expect(try await waiting == token.accessToken)
            #expect(await keeper.grantsObtained == 0)
            #expect(grantCount(simulator) == 1)
        }
    }

    @Test func aRevokedTokenIsRenewedOnceAndTheCallRetried() async throws {
        let clock = ManualClock()
        // The server drops tokens after 30 s although `expires_in` promises a day.
        let configuration = octoparseConfiguration { $0.forcedTokenExpiry = .seconds(30) }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let keeper = try makeKeeper(endpoints, directory, clock: clock)
            let client = keeper.client
            let first = try await keeper.currentToken()
            let oldRefresh = try #require(try storedTokenRow(directory)?.refresh)
            clock.advance(by: 31)
            let groups = try await keeper.withToken { token throws(OctoparseError) in
                try await client.taskGroups(token: token)
            }
            #expect(!groups.isEmpty)
            #expect(simulator.octoparse.stats.count("401") == 1)
            #expect(simulator.octoparse.stats.count("token.refresh") == 1)
            #expect(await keeper.grantsObtained == 2)

            // The rotated refresh token was stored at once: the row holds the new pair.
            let row = try #require(try storedTokenRow(directory))
            #expect(row.access == (try await keeper.currentToken()))
            #expect(row.access != first)
            let newRefresh = try #require(row.refresh)
            #expect(newRefresh != oldRefresh)
            await #expect(throws: OctoparseError.self) { try await client.refreshGrant(oldRefresh) }
            #expect(try await client.refreshGrant(newRefresh).refreshToken != nil)
        }
    }

    @Test func aSecondRefusalIsReturned() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            defer { withExtendedLifetime(directory) {} }
            let keeper = try makeKeeper(endpoints, directory)
            let client = keeper.client
            let calls = Calls()
            let error = await #expect(throws: OctoparseError.self) {
                try await keeper.withToken { _ throws(OctoparseError) in
                    calls.add()
                    return try await client.taskGroups(token: "revoked-upstream")
                }
            }
            #expect(error == .unauthorized("access_token invalid"))
            #expect(calls.count == 2)
            // One password grant at first, one refresh after the first refusal, none after the second.
            #expect(simulator.octoparse.stats.count("token.password") == 1)
            #expect(simulator.octoparse.stats.count("token.refresh") == 1)
        }
    }

    @Test func aRefusedRefreshTokenFallsBackToThePasswordGrant() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(octoparseConfiguration(), now: clock.source) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let first = try makeKeeper(endpoints, directory, owner: "process-a", clock: clock)
            let second = try makeKeeper(endpoints, directory, owner: "process-b", clock: clock)
            let original = try await first.currentToken()
            #expect(try await second.currentToken() == original)
            let staleRow = try await directory.database().writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT access_token, refresh_token, expires_at, obtained_at FROM harvest_tokens"
                )
                .map { row in (0..<4).map { row[$0] as String? } }
            }
            let stale = try #require(staleRow)

            // Past the refresh point: process A refreshes, which spends the stored refresh token.
            clock.advance(by: 80_000)
            let refreshed = try await first.currentToken()
            #expect(refreshed != original)
            #expect(simulator.octoparse.stats.count("token.refresh") == 1)

            // Process B finds the old row (a restored backup, a write lost): its refresh token is spent.
            try await directory.database().writer.write { db in
                try db.execute(
                    sql:
                        "UPDATE harvest_tokens SET access_token = ?, refresh_token = ?, expires_at = ?, obtained_at = ?",
                    arguments: StatementArguments(stale)
                )
            }
            let renewed = try await second.currentToken()
            #expect(renewed != original && renewed != refreshed)
            #expect(simulator.octoparse.stats.count("token.invalid_grant") == 1)
            #expect(simulator.octoparse.stats.count("token.password") == 2)
            #expect(await second.grantsObtained == 1)
            #expect(try storedTokenRow(directory)?.access == renewed)
            #expect(try directory.database().accounts().map(\.state) == ["ok"])
        }
    }

    /// Whether a refresh answer always carries a new `refresh_token` is undocumented: one without it
    /// leaves the old one stored, and the next refresh uses it again.
    @Test func aRefreshAnswerWithoutARefreshTokenKeepsTheOldOne() async throws {
        let clock = ManualClock()
        let configuration = octoparseConfiguration { $0.refreshKeepsRefreshToken = true }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let keeper = try makeKeeper(endpoints, directory, clock: clock)
            var access = try await keeper.currentToken()
            let refreshToken = try #require(try storedTokenRow(directory)?.refresh)
            for refreshes in 1...3 {
                // Past the refresh point of the token in use.
                clock.advance(by: 80_000)
                let renewed = try await keeper.currentToken()
                #expect(renewed != access)
                access = renewed
                #expect(simulator.octoparse.stats.count("token.refresh") == refreshes)
                #expect(try storedTokenRow(directory)?.access == renewed)
                #expect(try storedTokenRow(directory)?.refresh == refreshToken)
            }
            #expect(simulator.octoparse.stats.count("token.password") == 1)
            #expect(simulator.octoparse.stats.count("token.invalid_grant") == 0)
            // A process started later refreshes with the stored refresh token too.
            clock.advance(by: 80_000)
            let other = try makeKeeper(endpoints, directory, owner: "process-b", clock: clock)
            #expect(try await other.currentToken() != access)
            #expect(simulator.octoparse.stats.count("token.refresh") == 4)
            #expect(simulator.octoparse.stats.count("token.password") == 1)
        }
    }

    @Test func transientGrantFailuresAreRetriedThenReturned() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.faults = FaultRates(serverError: 1) }) {
            simulator,
            endpoints in
            let directory = try TemporaryDirectory()
            defer { withExtendedLifetime(directory) {} }
            let keeper = try makeKeeper(endpoints, directory)
            let error = await #expect(throws: OctoparseError.self) { try await keeper.currentToken() }
            guard case .transient = error else {
                Issue.record("expected transient, got \(String(describing: error))")
                return
            }
            #expect(simulator.octoparse.stats.count("fault.5xx") == 3)
            simulator.octoparse.setFaults(.none)
            _ = try await keeper.currentToken()
            #expect(await keeper.grantsObtained == 1)
        }
    }

    @Test func noTokenOrPasswordIsEverLogged() async throws {
        let clock = ManualClock()
        let configuration = octoparseConfiguration { $0.forcedTokenExpiry = .seconds(30) }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let directory = try TemporaryDirectory()
            let logs = LogCapture()
            let keeper = try makeKeeper(endpoints, directory, clock: clock, logs: logs)
            let client = keeper.client
            var tokens: [String] = []
            for _ in 0..<3 {
                _ = try await keeper.withToken { token throws(OctoparseError) in
                    try await client.taskGroups(token: token)
                }
                tokens.append(try await keeper.currentToken())
                tokens += try storedTokenRow(directory)?.refresh.map { [$0] } ?? []
                clock.advance(by: 31)
            }
            let refused = try makeKeeper(endpoints, directory, owner: "b", password: "p&ss+w%rd 2", logs: logs)
            try await directory.database().writer.write { db in try db.execute(sql: "DELETE FROM harvest_tokens") }
            await #expect(throws: OctoparseError.self) { try await refused.currentToken() }
            #expect(!logs.all.isEmpty)
            for line in logs.all {
                for secret in tokens + ["p&ss+w%rd 1", "p&ss+w%rd 2"] { #expect(!line.contains(secret), "\(line)") }
            }
        }
    }
}

/// Counts calls of a closure the keeper runs.
private final class Calls: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add() { value.withLock { $0 += 1 } }
}
