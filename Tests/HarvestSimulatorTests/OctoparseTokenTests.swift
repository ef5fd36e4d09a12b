import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseTokenTests {
    private let defaults = OctoparseConfiguration()

    private func passwordGrant(_ password: String? = nil) -> String {
        formEncoded([
            ("grant_type", "password"), ("username", defaults.username), ("password", password ?? defaults.password),
        ])
    }

    @Test func thePasswordGrantAnswersTheDocumentedKeysInOrder() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let exchange = try await requestToken(endpoints.octoparseBaseURL, body: passwordGrant())
            #expect(exchange.status == 200)
            let text = exchange.text
            let positions = ["\"access_token\"", "\"token_type\"", "\"expires_in\"", "\"refresh_token\""].map {
                text.range(of: $0)?.lowerBound
            }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            let json = try exchange.json()
            #expect(json["token_type"] == .string("bearer"))
            #expect(json["expires_in"] == .integer(86_399))
            #expect((json["access_token"]?.string?.count ?? 0) >= 32)
            #expect((json["refresh_token"]?.string?.count ?? 0) >= 32)
            #expect(simulator.octoparse.stats.count("token.password") == 1)
        }
    }

    @Test func aPasswordWithAmpersandPlusPercentAndSpaceWorksOnlyURLEncoded() async throws {
        #expect(defaults.password.contains("&") && defaults.password.contains("+"))
        #expect(defaults.password.contains("%") && defaults.password.contains(" "))
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in
            // What the official samples send: the values pasted in as they are.
            let naive = "grant_type=password&username=\(defaults.username)&password=\(defaults.password)"
            let refused = try await requestToken(endpoints.octoparseBaseURL, body: naive)
            #expect(refused.status == 400)
            #expect(
                try refused.json()
                    == JSONValue.parse(
                        #"{"error":"invalid_grant","error_description":"The user name or password is incorrect."}"#
                    )
            )
            let accepted = try await requestToken(endpoints.octoparseBaseURL, body: passwordGrant())
            #expect(accepted.status == 200)
        }
    }

    @Test func badCredentialsAndGrantTypesAnswerOAuthErrors() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in
            let base = endpoints.octoparseBaseURL
            let wrong = try await requestToken(base, body: passwordGrant("p&ss+w%rd 2"))
            #expect(wrong.status == 400)
            #expect(try wrong.field("error") == .string("invalid_grant"))
            #expect(try wrong.field("error_description") == .string("The user name or password is incorrect."))
            for body in ["username=harvest-demo&password=x", "grant_type=client_credentials", ""] {
                let unsupported = try await requestToken(base, body: body)
                #expect(unsupported.status == 400)
                #expect(try unsupported.json() == .object(["error": .string("unsupported_grant_type")]))
            }
        }
    }

    @Test func aRefreshRotatesTheRefreshTokenAndTheOldOneStopsWorking() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let base = endpoints.octoparseBaseURL
            let first = try await OctoparseSession.signIn(endpoints)
            let refreshed = try await requestToken(
                base,
                body: formEncoded([("grant_type", "refresh_token"), ("refresh_token", first.refreshToken)])
            )
            #expect(refreshed.status == 200)
            let newAccess = try #require(try refreshed.field("access_token")?.string)
            let newRefresh = try #require(try refreshed.field("refresh_token")?.string)
            #expect(newRefresh != first.refreshToken)
            #expect(newAccess != first.accessToken)
            #expect(try await first.get("/api/taskgroup", token: newAccess).field("error") == .string("success"))

            let reused = try await requestToken(
                base,
                body: formEncoded([("grant_type", "refresh_token"), ("refresh_token", first.refreshToken)])
            )
            #expect(reused.status == 400)
            #expect(try reused.field("error") == .string("invalid_grant"))
            #expect(try reused.field("error_description")?.string?.isEmpty == false)
            #expect(try reused.field("error_Description") == nil)

            let again = try await requestToken(
                base,
                body: formEncoded([("grant_type", "refresh_token"), ("refresh_token", newRefresh)])
            )
            #expect(again.status == 200)
            #expect(simulator.octoparse.stats.count("token.refresh") == 2)
        }
    }

    @Test func anExpiredRefreshTokenIsAnInvalidGrant() async throws {
        let clock = ManualClock()
        let configuration = octoparseConfiguration { $0.refreshTokenLifetime = .seconds(3_600) }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { _, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            clock.advance(by: 3_600)
            let expired = try await requestToken(
                endpoints.octoparseBaseURL,
                body: formEncoded([("grant_type", "refresh_token"), ("refresh_token", session.refreshToken)])
            )
            #expect(expired.status == 400)
            #expect(try expired.field("error") == .string("invalid_grant"))
        }
    }

    @Test func anAccessTokenExpiresAfterExpiresIn() async throws {
        let clock = ManualClock()
        let configuration = octoparseConfiguration { $0.expiresIn = 60 }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { _, endpoints in
            let exchange = try await requestToken(endpoints.octoparseBaseURL, body: passwordGrant())
            #expect(try exchange.field("expires_in") == .integer(60))
            let session = try await OctoparseSession.signIn(endpoints)
            clock.advance(by: 59)
            #expect(try await session.get("/api/taskgroup").field("error") == .string("success"))
            clock.advance(by: 1)
            let expired = try await session.get("/api/taskgroup")
            #expect(expired.status == 401)
            #expect(try expired.field("error") == .string("unauthorized"))
        }
    }

    @Test func forcedExpiryRefusesTokensEarlierThanExpiresInSays() async throws {
        let clock = ManualClock()
        let configuration = octoparseConfiguration { $0.forcedTokenExpiry = .seconds(30) }
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { _, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            clock.advance(by: 29)
            let fresh = try await OctoparseSession.signIn(endpoints)
            #expect(try await session.get("/api/taskgroup").field("error") == .string("success"))
            clock.advance(by: 1)
            #expect(try await session.get("/api/taskgroup").field("error") == .string("unauthorized"))
            #expect(try await fresh.get("/api/taskgroup").field("error") == .string("success"))
        }
    }

    @Test(arguments: [401, 200])
    func unauthorizedAnswersItsEnvelopeWithTheConfiguredStatus(status: Int) async throws {
        let configuration = octoparseConfiguration { $0.unauthorizedStatus = status }
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let url = endpoints.octoparseBaseURL + "/api/taskgroup"
            let session = try await OctoparseSession.signIn(endpoints)
            let refusals: [[(String, String)]] = [
                [], [("Authorization", "bearer not-a-token")], [("Authorization", "Basic \(session.accessToken)")],
                [("Authorization", session.accessToken)],
            ]
            for headers in refusals {
                let exchange = try await HTTP.send(.GET, url, headers: headers)
                #expect(exchange.status == status)
                #expect(exchange.text == #"{"error":"unauthorized","error_Description":"access_token invalid"}"#)
            }
            #expect(simulator.octoparse.stats.count("401") == refusals.count)
            for scheme in ["bearer", "Bearer", "BEARER"] {
                let exchange = try await HTTP.send(
                    .GET,
                    url,
                    headers: [("Authorization", "\(scheme) \(session.accessToken)")]
                )
                #expect(exchange.status == 200)
                #expect(try exchange.field("error") == .string("success"))
            }
        }
    }
}
