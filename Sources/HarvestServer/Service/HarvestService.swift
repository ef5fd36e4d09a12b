import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestEngine
import HarvestStore
import Logging
import NIOCore
import OctoparseAPI
import OxylabsAPI
import ServiceLifecycle

/// `harvest serve`: the Oxylabs workers, the Octoparse syncer and the HTTP server, run as one service
/// group that shuts down gracefully on SIGTERM or SIGINT.
public enum HarvestService {
    /// How a run ended without an error.
    public enum Ending: Sendable, Equatable {
        /// A signal asked for a shutdown, and it completed.
        case signal
        /// `untilIdle`: nothing could move any more.
        case idle
    }

    /// Runs the service until a signal (or idle, with `untilIdle`), then releases this process's leases.
    ///
    /// `onListening` receives the HTTP port once the server accepts connections.
    public static func run(
        _ configuration: HarvestServiceConfiguration,
        database: HarvestDatabase,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> Ending {
        guard configuration.oxylabs != nil || configuration.octoparse != nil else {
            throw HarvestServiceError("no account is configured: set the Oxylabs or the Octoparse credentials")
        }
        let http = HTTPClient.harvest()
        let owner = PipelineContext.processOwner()
        do {
            let ending = try await runServices(
                configuration,
                database: database,
                http: http,
                owner: owner,
                logger: logger,
                onListening: onListening
            )
            try database.releaseLeases(owner: owner)
            try await http.shutdown()
            return ending
        } catch {
            try? database.releaseLeases(owner: owner)
            try? await http.shutdown()
            throw describe(error, configuration: configuration)
        }
    }

    private static func runServices(
        _ configuration: HarvestServiceConfiguration,
        database: HarvestDatabase,
        http: HTTPClient,
        owner: String,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws -> Ending {
        var pipeline = configuration.pipeline
        let secret = try database.secret(named: "oxylabs-callback", now: Date()) {
            (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        }
        if let publicURL = configuration.publicURL {
            pipeline.callbackURL = CallbackReceiver.callbackURL(publicURL: publicURL, secret: secret)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var context: PipelineContext?
        var fetcherWakeup = Wakeup()
        var pollerWakeup = Wakeup()
        var senders: CallbackSenders?
        let signals = await ShutdownSignals.trap()
        var readiness = Readiness(
            database: database,
            stallAfter: configuration.stallAfter,
            isShuttingDown: { signals.isShuttingDown }
        )
        if let oxylabs = configuration.oxylabs {
            let pipelineContext = PipelineContext(
                database: database,
                client: OxylabsClient(account: oxylabs, http: http, timeout: pipeline.requestTimeout),
                configuration: pipeline,
                owner: owner,
                logger: logger
            )
            try pipelineContext.learnFromHistory()
            context = pipelineContext
            fetcherWakeup = pipelineContext.fetcherWakeup
            pollerWakeup = pipelineContext.pollerWakeup
            readiness.add(
                provider: "oxylabs",
                baseURL: oxylabs.baseURL,
                username: oxylabs.username,
                rateLimits: pipelineContext.rateLimits
            )
            senders =
                configuration.checkCallbackSender
                ? CallbackSenders(client: pipelineContext.client, logger: logger) : nil
            services += senders.map { [.init(service: $0)] } ?? []
            services += [
                .init(service: OxylabsSubmitter(context: pipelineContext)),
                .init(service: OxylabsPoller(context: pipelineContext)),
                .init(service: OxylabsFetcher(context: pipelineContext)),
            ]
        }
        if let octoparse = configuration.octoparse {
            let reader = OctoparseReader.make(
                account: octoparse,
                http: http,
                database: database,
                configuration: configuration.sync,
                owner: owner,
                logger: logger
            )
            readiness.add(provider: "octoparse", baseURL: octoparse.baseURL, username: octoparse.username)
            services.append(
                .init(
                    service: OctoparseSyncer(
                        database: database,
                        reader: reader,
                        configuration: configuration.sync,
                        owner: owner,
                        logger: logger
                    )
                )
            )
        }
        let callbacks = CallbackReceiver(
            database: database,
            secret: secret,
            fetcher: fetcherWakeup,
            poller: pollerWakeup,
            logger: logger,
            senders: senders
        )
        let web = HarvestHTTPServer.make(
            host: configuration.host,
            port: configuration.port,
            callbacks: callbacks,
            readiness: readiness,
            metrics: configuration.metrics,
            admin: configuration.adminToken.map {
                AdminAPI(database: database, token: $0, submitter: context?.submitterWakeup)
            },
            logger: logger,
            onRunning: onListening
        )
        services.insert(.init(service: web), at: 0)
        if configuration.untilIdle {
            services.append(
                .init(
                    service: idleMonitor(
                        database: database,
                        gate: context?.gate,
                        harvestsTasks: configuration.octoparse != nil
                    ),
                    successTerminationBehavior: .gracefullyShutdownGroup
                )
            )
        }
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace
        let group = ServiceGroup(configuration: groupConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { await signals.watch(group, logger: logger) }
            try await tasks.next()
            tasks.cancelAll()
        }
        return configuration.untilIdle && !signals.isShuttingDown ? .idle : .signal
    }

    /// Idle also when the only open work waits on an account whose credentials were refused.
    private static func idleMonitor(database: HarvestDatabase, gate: AccountGate?, harvestsTasks: Bool) -> IdleMonitor {
        IdleMonitor(
            database: database,
            isStalled: { gate?.reopensAt() != nil },
            tasksBehind: {
                // Without an Octoparse account no task can move: they do not keep the service up.
                guard harvestsTasks else { return 0 }
                let paused = try database.accounts().contains {
                    $0.provider == "octoparse" && $0.state == "needs-credentials"
                }
                return paused ? 0 : try database.tasksBehind().count
            }
        )
    }

    /// Start-up failures an operator can act on, in one line.
    private static func describe(_ error: any Error, configuration: HarvestServiceConfiguration) -> any Error {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return HarvestServiceError(
                "cannot listen on \(configuration.host):\(configuration.port): the address is in use"
            )
        }
        if let error = error as? IOError, error.errnoCode == EACCES {
            return HarvestServiceError(
                "cannot listen on \(configuration.host):\(configuration.port): permission denied"
            )
        }
        if error is HarvestServiceError || error is StoreError { return error }
        if let failure = DatabaseFailure.describe(error) { return HarvestServiceError(failure) }
        return HarvestServiceError("the service stopped: \(error)")
    }
}
