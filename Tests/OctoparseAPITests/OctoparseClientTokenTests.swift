import Foundation
import HarvestCore
import HarvestSimulator
import OctoparseAPI
import Testing

@Suite struct OctoparseClientTokenTests {
    @Test func thePasswordWithAmpersandPlusPercentAndSpaceSignsIn() async throws {
        let password = OctoparseConfiguration().password
        #expect(password.contains("&") && password.contains("+") && password.contains("%") && password.contains(" "))
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let before = Date()
            let token = try await client.passwordGrant()
            #expect(token.expiresIn == 86_399)
            #expect(token.accessToken.count >= 32)
            #expect(token.refreshToken != nil)
            #expect(token.obtainedAt >= before.addingTimeInterval(-1) && token.obtainedAt <= Date())
            #expect(simulator.octoparse.stats.count("token.password") == 1)
            // The token works for data calls.
            #expect(try await client.taskGroups(token: token.accessToken).isEmpty == false)
            // Neither description shows a secret.
            #expect(!"\(token)".contains(token.accessToken))
            #expect(!"\(token)".contains(token.refreshToken ?? "-"))
            #expect(!"\(client.account)".contains(password))
        }
    }

    @Test func expiresInIsReadFromTheAnswer() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.expiresIn = 42 }) { _, endpoints in
            let token = try await octoparseClient(endpoints).passwordGrant()
            #expect(token.expiresIn == 42)
            #expect(token.expiresAt == token.obtainedAt.addingTimeInterval(42))
        }
    }

    @Test func aWrongPasswordIsAnInvalidGrantWithoutThePasswordInTheMessage() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let wrong = "p&ss+w%rd 2"
            let error = await #expect(throws: OctoparseError.self) {
                try await octoparseClient(endpoints, password: wrong).passwordGrant()
            }
            #expect(error == .invalidGrant("The user name or password is incorrect."))
            #expect(error?.isRetryable == false)
            #expect(!"\(error!)".contains(wrong))
            #expect(simulator.octoparse.stats.count("token.invalid_grant") == 1)
        }
    }

    @Test func aRefreshRotatesTheRefreshTokenAndTheOldOneIsAnInvalidGrant() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let first = try await client.passwordGrant()
            let refreshToken = try #require(first.refreshToken)
            let second = try await client.refreshGrant(refreshToken)
            #expect(second.accessToken != first.accessToken)
            #expect(second.refreshToken != nil && second.refreshToken != refreshToken)
            #expect(try await client.taskGroups(token: second.accessToken).isEmpty == false)
            let error = await #expect(throws: OctoparseError.self) { try await client.refreshGrant(refreshToken) }
            guard case .invalidGrant(let message) = error else {
                Issue.record("expected invalidGrant, got \(String(describing: error))")
                return
            }
            #expect(!message.contains(refreshToken))
            #expect(simulator.octoparse.stats.count("token.refresh") == 1)
        }
    }

    @Test func aMalformedTokenAnswerIsTransient() async throws {
        let configuration = octoparseConfiguration { $0.faults = FaultRates(malformedBody: 1) }
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let error = await #expect(throws: OctoparseError.self) {
                try await octoparseClient(endpoints).passwordGrant()
            }
            guard case .transient(let reason) = error else {
                Issue.record("expected transient, got \(String(describing: error))")
                return
            }
            #expect(error?.isRetryable == true)
            // The cut answer held tokens: the message quotes none of it.
            #expect(!reason.contains("access_token"))
            #expect(simulator.octoparse.stats.count("fault.malformed") == 1)
        }
    }

    @Test func serverErrorsAreTransient() async throws {
        let configuration = octoparseConfiguration { $0.faults = FaultRates(serverError: 1) }
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            // The fake answers 500, 503 or 200 with `server_error`, at random: all are transient.
            for _ in 0..<6 {
                let error = await #expect(throws: OctoparseError.self) { try await client.passwordGrant() }
                guard case .transient = error else {
                    Issue.record("expected transient, got \(String(describing: error))")
                    return
                }
            }
            #expect(simulator.octoparse.stats.count("fault.5xx") == 6)
        }
    }

    @Test func aConnectionRefusedIsTransient() async throws {
        // A port nothing listens on: bind one, then close it.
        let endpoints = try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in endpoints }
        // AsyncHTTPClient retries a refused connection until the deadline: keep it short.
        let client = OctoparseClient(
            account: octoparseClient(endpoints).account,
            http: .shared,
            timeout: .milliseconds(500)
        )
        let error = await #expect(throws: OctoparseError.self) { try await client.passwordGrant() }
        guard case .transient = error else {
            Issue.record("expected transient, got \(String(describing: error))")
            return
        }
    }

    /// A token a header cannot carry (a server answered one with a line break) is refused by the HTTP
    /// client, whose full error would quote the Authorization header: the error keeps only its kind.
    @Test func aTokenAHeaderCannotHoldIsNeverQuotedInTheError() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in
            let token = "leaky-token-5f1d\r\nX-Injected: 1"
            let error = await #expect(throws: OctoparseError.self) {
                try await octoparseClient(endpoints).taskGroups(token: token)
            }
            let description = "\(String(describing: error))"
            #expect(!description.contains("leaky-token-5f1d"), "\(description)")
            #expect(description.contains("Invalid header field values"), "\(description)")
        }
    }
}
