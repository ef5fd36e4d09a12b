import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Both fakes, configured together.
public struct SimulatorConfiguration: Sendable {
    /// Same seed, same data, same job latencies.
    public var seed: UInt64 = 1
    /// The address both fakes listen on.
    public var host = "127.0.0.1"
    public var oxylabs = OxylabsConfiguration()
    public var octoparse = OctoparseConfiguration()

    public init() {}
}

/// Where the running fakes listen.
public struct SimulatorEndpoints: Sendable, Equatable {
    public var host: String
    public var oxylabsPort: Int
    public var octoparsePort: Int

    /// `http://127.0.0.1:PORT`: what `OXYLABS_BASE_URL` should be.
    public var oxylabsBaseURL: String { "http://\(host):\(oxylabsPort)" }
    /// `http://127.0.0.1:PORT`: what `OCTOPARSE_BASE_URL` should be.
    public var octoparseBaseURL: String { "http://\(host):\(octoparsePort)" }
}

/// In-process fakes of the Oxylabs and Octoparse APIs, served with Hummingbird on loopback, for the
/// tests, `harvest demo`, `harvest simulate` and the benchmarks.
public final class HarvestSimulator: Sendable {
    public let configuration: SimulatorConfiguration
    public let oxylabs: OxylabsSimulator
    public let octoparse: OctoparseSimulator

    /// - Parameter now: the clock of both fakes; tests may pass a manual one.
    public init(_ configuration: SimulatorConfiguration = .init(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        oxylabs = OxylabsSimulator(configuration: configuration.oxylabs, seed: configuration.seed, now: now)
        octoparse = OctoparseSimulator(configuration: configuration.octoparse, seed: configuration.seed, now: now)
    }

    /// Serves both fakes until cancelled or shut down gracefully; `onReady` gets the bound ports
    /// (pass port 0 for an ephemeral one).
    public func run(
        oxylabsPort: Int = 0,
        octoparsePort: Int = 0,
        gracefulShutdownSignals: [UnixSignal] = [],
        logger: Logger = HarvestSimulator.quietLogger,
        onReady: @escaping @Sendable (SimulatorEndpoints) async -> Void
    ) async throws {
        let group = makeServiceGroup(
            oxylabsPort: oxylabsPort,
            octoparsePort: octoparsePort,
            signals: gracefulShutdownSignals,
            logger: logger,
            onReady: onReady
        )
        try await group.run()
    }

    /// Starts both fakes on ephemeral ports, runs `body`, and shuts them down.
    public static func withRunning<T: Sendable>(
        _ configuration: SimulatorConfiguration = .init(),
        now: @escaping @Sendable () -> Date = { Date() },
        _ body: @Sendable (HarvestSimulator, SimulatorEndpoints) async throws -> T
    ) async throws -> T {
        let simulator = HarvestSimulator(configuration, now: now)
        let (ready, readyContinuation) = AsyncStream<SimulatorEndpoints>.makeStream()
        let group = simulator.makeServiceGroup(
            oxylabsPort: 0,
            octoparsePort: 0,
            signals: [],
            logger: quietLogger,
            onReady: { endpoints in readyContinuation.yield(endpoints) }
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            guard let endpoints = await ready.first(where: { _ in true }) else {
                throw CancellationError()
            }
            do {
                let result = try await body(simulator, endpoints)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// A logger that reports only problems: the fakes are quiet unless something breaks.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "harvest.simulator")
        logger.logLevel = .warning
        return logger
    }()

    private func makeServiceGroup(
        oxylabsPort: Int,
        octoparsePort: Int,
        signals: [UnixSignal],
        logger: Logger,
        onReady: @escaping @Sendable (SimulatorEndpoints) async -> Void
    ) -> ServiceGroup {
        let host = configuration.host
        let ports = Mutex<(oxylabs: Int?, octoparse: Int?)>((nil, nil))
        @Sendable func reportIfReady() async {
            let both = ports.withLock { ports -> SimulatorEndpoints? in
                guard let oxylabs = ports.oxylabs, let octoparse = ports.octoparse else { return nil }
                return SimulatorEndpoints(host: host, oxylabsPort: oxylabs, octoparsePort: octoparse)
            }
            if let both { await onReady(both) }
        }
        let oxylabsApp = Application(
            router: oxylabs.makeRouter(),
            configuration: .init(address: .hostname(host, port: oxylabsPort), serverName: "oxylabs-simulator"),
            onServerRunning: { channel in
                ports.withLock { $0.oxylabs = channel.localAddress?.port }
                await reportIfReady()
            },
            logger: logger
        )
        let octoparseApp = Application(
            router: octoparse.makeRouter(),
            configuration: .init(address: .hostname(host, port: octoparsePort), serverName: "octoparse-simulator"),
            onServerRunning: { channel in
                ports.withLock { $0.octoparse = channel.localAddress?.port }
                await reportIfReady()
            },
            logger: logger
        )
        let callbacks = CallbackDispatcher(simulator: oxylabs, client: HTTPClient.shared, logger: logger)
        return ServiceGroup(
            configuration: .init(
                services: [.init(service: oxylabsApp), .init(service: octoparseApp), .init(service: callbacks)],
                gracefulShutdownSignals: signals,
                logger: logger
            )
        )
    }
}
