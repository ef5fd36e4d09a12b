import ArgumentParser
import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestEngine
import HarvestStore
import Logging
import OctoparseAPI

/// The Octoparse syncer's knobs, shared by `harvest serve` and `harvest tasks sync`.
struct OctoparseSyncOptions: ParsableArguments {
    @Option(help: "Read a storage-time window only once it ended this long ago (rows are committed late), e.g. 2m.")
    var safetyLag = "2m"

    @Option(help: "Re-check windows that ended within this period for rows committed late, e.g. 1h.")
    var lookBack = "1h"

    @Option(help: "Octoparse requests per second (the account's limit).")
    var octoparseRate = 20.0

    @Option(help: "Octoparse tasks synced at once.")
    var taskConcurrency = 4

    func configuration(zone: UTCOffset) throws(InputError) -> OctoparseSyncConfiguration {
        var configuration = OctoparseSyncConfiguration()
        configuration.safetyLag = try DurationInput.parse(safetyLag, flag: "--safety-lag")
        configuration.lookBack = try DurationInput.parse(lookBack, flag: "--look-back")
        guard octoparseRate > 0, octoparseRate <= 100_000 else {
            throw InputError("bad --octoparse-rate \(octoparseRate): expected more than 0 and at most 100000")
        }
        guard (1...64).contains(taskConcurrency) else {
            throw InputError("bad --task-concurrency \(taskConcurrency): expected 1 to 64")
        }
        configuration.requestsPerSecond = octoparseRate
        configuration.concurrency = taskConcurrency
        configuration.zone = zone
        return configuration
    }
}

/// The Octoparse account from the environment, and the objects that talk to it.
enum OctoparseEnvironment {
    /// The account, or nil when `OCTOPARSE_USERNAME` is not set.
    static func account() throws(InputError) -> OctoparseAccount? {
        let environment = ProcessInfo.processInfo.environment
        guard let username = environment["OCTOPARSE_USERNAME"], !username.isEmpty else { return nil }
        guard let password = environment["OCTOPARSE_PASSWORD"], !password.isEmpty else {
            throw InputError("OCTOPARSE_PASSWORD is not set (OCTOPARSE_USERNAME is)")
        }
        let base =
            environment["OCTOPARSE_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? OctoparseAccount.defaultBaseURL
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else { throw InputError("bad OCTOPARSE_BASE_URL \(base.quotedForMessage): expected an http(s) URL") }
        return OctoparseAccount(baseURL: base, username: username, password: password)
    }

    /// The account, required by the command.
    static func requiredAccount() throws(InputError) -> OctoparseAccount {
        guard let account = try account() else {
            throw InputError("OCTOPARSE_USERNAME is not set (and OCTOPARSE_PASSWORD): the Octoparse account to use")
        }
        return account
    }

    /// An HTTP client sized for concurrent pages (AsyncHTTPClient allows 8 connections per host by default).
    static func httpClient() -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
            )
        )
    }

    static func reader(
        account: OctoparseAccount,
        http: HTTPClient,
        database: HarvestDatabase,
        configuration: OctoparseSyncConfiguration,
        owner: String,
        logger: Logger
    ) -> OctoparseReader {
        let keeper = OctoparseTokenKeeper(
            client: OctoparseClient(account: account, http: http),
            database: database,
            owner: owner,
            logger: logger
        )
        return OctoparseReader(keeper: keeper, configuration: configuration, logger: logger)
    }
}
