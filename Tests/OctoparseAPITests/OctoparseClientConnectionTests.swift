import AsyncHTTPClient
import Foundation
import HarvestEngine
import HarvestSimulator
import OctoparseAPI
import Testing

/// The seed shows `http://` hosts, and the by-time call on a host of its own: a connection that cannot
/// be made says which URL and which setting, in one line, without a secret.
@Suite struct OctoparseClientConnectionTests {
    private static let password = "secret-pw-7d1e"

    /// A client whose HTTP client reports the first failed connection at once (as `tasks discover` and
    /// `tasks sync` use it), so that no test waits for a deadline.
    private func withClient<T>(
        baseURL: String,
        byTimeBaseURL: String? = nil,
        password: String = OctoparseConfiguration().password,
        _ body: (OctoparseClient) async throws -> T
    ) async throws -> T {
        let http = HTTPClient.harvest(retryingConnections: false)
        let account = OctoparseAccount(
            baseURL: baseURL,
            byTimeBaseURL: byTimeBaseURL,
            username: OctoparseConfiguration().username,
            password: password
        )
        do {
            let result = try await body(OctoparseClient(account: account, http: http))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// A loopback URL nothing listens on: the fake's, once it stopped.
    private func closedURL() async throws -> String {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in endpoints.octoparseBaseURL }
    }

    private func failure<T>(_ call: () async throws -> T) async -> String {
        do {
            _ = try await call()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aClosedPortNamesTheURLAndTheSetting() async throws {
        let closed = try await closedURL()
        let message = try await withClient(baseURL: closed, password: Self.password) { client in
            await failure { try await client.passwordGrant() }
        }
        #expect(
            message == "Octoparse call failed: POST /token: cannot reach \(closed): connection refused; "
                + "check OCTOPARSE_BASE_URL (scheme, host and port) and that the server is up"
        )
        #expect(!message.contains(Self.password))
    }

    @Test func httpsToAServerThatSpeaksHTTPNamesTheFix() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in
            let plain = endpoints.octoparseBaseURL
            #expect(plain.hasPrefix("http://"))
            let secure = "https://" + plain.dropFirst("http://".count)
            let message = try await withClient(baseURL: secure, password: Self.password) { client in
                await failure { try await client.passwordGrant() }
            }
            #expect(
                message == "Octoparse call failed: POST /token: cannot reach \(secure): TLS handshake failed; "
                    + "if the account's server speaks http, set OCTOPARSE_BASE_URL=\(plain)"
            )
            #expect(!message.contains(Self.password))
        }
    }

    /// The by-time call goes to its own base URL (and only it): here one nothing listens on, named with
    /// its own setting, while the other calls work on the account's base URL.
    @Test func theByTimeCallGoesToItsOwnBaseURL() async throws {
        let closed = try await closedURL()
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let task = try #require(simulator.octoparse.tasks().first { $0.kind == .standard }).id
            try await withClient(baseURL: endpoints.octoparseBaseURL, byTimeBaseURL: closed + "/") { client in
                #expect(client.account.byTimeBaseURL == closed)
                let token = try await client.passwordGrant().accessToken
                let all = try await client.allData(taskID: task, pageIndex: 1, pageSize: 10, token: token)
                #expect(all.rows.count == 10)
                let message = await failure {
                    try await client.dataByTime(
                        taskID: task,
                        from: Date(timeIntervalSince1970: 0),
                        to: Date(),
                        zone: .octoparseDefault,
                        pageIndex: 1,
                        pageSize: 10,
                        token: token
                    )
                }
                #expect(
                    message.contains("cannot reach \(closed): connection refused; check OCTOPARSE_BY_TIME_BASE_URL")
                )
                #expect(!message.contains(token))
            }
            #expect(simulator.octoparse.stats.count("GET /api/alldata/GetDataOfTaskByTimeAndPaging") == 0)
        }
    }

    @Test func withoutItsOwnBaseURLTheByTimeCallGoesToTheAccountsOne() {
        let account = OctoparseAccount(baseURL: "http://dataapi.octoparse.com/", username: "u", password: "p")
        #expect(account.baseURL == "http://dataapi.octoparse.com")
        #expect(account.byTimeBaseURL == "http://dataapi.octoparse.com")
    }
}
