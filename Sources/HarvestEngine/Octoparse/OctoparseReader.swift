import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestStore
import Logging
import OctoparseAPI

/// Every Octoparse request of the syncer goes through here: paced under the account's rate, made with a
/// fresh token (a refused one is renewed once), and retried with backoff while the failure is transient.
/// Malformed answers are transient: they are retried and never stored.
public struct OctoparseReader: Sendable {
    public let keeper: OctoparseTokenKeeper
    let pacer: RequestPacer
    let configuration: OctoparseSyncConfiguration
    let logger: Logger

    public init(keeper: OctoparseTokenKeeper, configuration: OctoparseSyncConfiguration, logger: Logger) {
        self.keeper = keeper
        pacer = RequestPacer(requestsPerSecond: configuration.requestsPerSecond)
        self.configuration = configuration
        self.logger = logger
    }

    public var client: OctoparseClient { keeper.client }

    /// Runs `call` until it succeeds, fails for good, or has failed transiently `attemptsPerRequest` times.
    /// `what` names the request in the log, `task` the task it reads.
    public func request<T: Sendable>(
        _ what: String,
        task: String? = nil,
        _ call: @escaping @Sendable (OctoparseClient, String) async throws(OctoparseError) -> T
    ) async throws(OctoparseError) -> T {
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        let client = client
        while true {
            await pacer.acquire()
            do {
                return try await keeper.withToken { token throws(OctoparseError) in try await call(client, token) }
            } catch {
                attempt += 1
                guard error.isRetryable, attempt < configuration.attemptsPerRequest else { throw error }
                let delay = configuration.retryBackoff.delay(attempt: attempt, using: &random)
                var metadata: Logger.Metadata = ["request": "\(what)", "attempt": "\(attempt)", "error": "\(error)"]
                if let task { metadata["task"] = "\(task)" }
                logger.info("Octoparse request failed; retrying", metadata: metadata)
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// One page of a storage-time window; `to` is sent as the API reads it.
    func page(
        task: TaskID,
        window: StorageWindow,
        inclusive: Bool,
        pageIndex: Int,
        pageSize: Int
    ) async throws(OctoparseError) -> OctoparsePage {
        try await page(
            task: task,
            from: window.from,
            to: window.toParameter(inclusive: inclusive),
            pageIndex: pageIndex,
            pageSize: pageSize
        )
    }

    /// A page of rows stored between the raw `from` and `to` parameters (seconds since 1970).
    func page(
        task: TaskID,
        from: Int64,
        to: Int64,
        pageIndex: Int,
        pageSize: Int
    ) async throws(OctoparseError) -> OctoparsePage {
        let zone = configuration.zone
        return try await request("by time", task: task.rawValue) { client, token throws(OctoparseError) in
            try await client.dataByTime(
                taskID: task.rawValue,
                from: Date(timeIntervalSince1970: TimeInterval(from)),
                to: Date(timeIntervalSince1970: TimeInterval(to)),
                zone: zone,
                pageIndex: pageIndex,
                pageSize: pageSize,
                token: token
            )
        }
    }
}

extension OctoparseReader {
    /// A reader for `account` with its own token keeper, as `harvest serve` and `harvest tasks …` use it.
    public static func make(
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
