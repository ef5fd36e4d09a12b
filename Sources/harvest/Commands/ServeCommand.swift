import ArgumentParser
import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestEngine
import HarvestServer
import HarvestStore
import Logging
import OxylabsAPI
import ServiceLifecycle
import UnixSignals

/// `harvest serve`: the long-running service that moves jobs through Oxylabs.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the service: Oxylabs jobs from queue to stored results, Octoparse tasks into tables.",
        discussion: """
            Credentials come from the environment: OXYLABS_USERNAME, OXYLABS_PASSWORD and OXYLABS_BASE_URL
            (default https://data.oxylabs.io) for jobs; OCTOPARSE_USERNAME, OCTOPARSE_PASSWORD,
            OCTOPARSE_BASE_URL (default https://dataapi.octoparse.com) and OCTOPARSE_TIMEZONE (default
            +08:00) for tasks. Either account may be left out. SIGTERM or SIGINT stops claiming work, lets
            requests in flight finish, and exits 0. Examples:
              harvest serve
              harvest serve --until-idle        # exit once every job is final and every task caught up
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sync: OctoparseSyncOptions

    @Flag(
        help: "Exit once no job is open and every enabled task caught up (status 0; 1 if a job or task failed)."
    )
    var untilIdle = false

    @Option(help: "How long a claimed job or task stays reserved for this process, e.g. 120s.")
    var lease = "120s"

    @Option(help: "Status polls in flight at once.")
    var pollConcurrency = 32

    @Option(help: "Submit requests in flight at once.")
    var submitConcurrency = 4

    @Option(help: "Result downloads in flight at once.")
    var fetchConcurrency = 8

    @Option(help: "Submissions per second until Oxylabs announces its limit.")
    var initialRate = 10.0

    @Option(help: "Times a faulted job is submitted again before it ends faulted.")
    var maxResubmissions = 3

    @Option(help: "Consecutive transient errors on a job before it fails.")
    var maxErrors = 12

    @Option(help: "First and longest retry delay after a transient error, e.g. 1s,120s.")
    var retryBackoff = "1s,120s"

    @Option(help: "A job still pending this long after submission fails, e.g. 6h.")
    var pendingDeadline = "6h"

    @Option(help: "Address of the HTTP server (callbacks, /healthz, /readyz), HOST:PORT; port 0 picks one.")
    var listen = "127.0.0.1:8080"

    @Option(help: "The URL at which Oxylabs reaches this service (through your reverse proxy); enables callbacks.")
    var publicURL: String?

    @Flag(help: "Accept callbacks only from Oxylabs' callbacker IPs (when Oxylabs connects directly, not via a proxy).")
    var checkCallbackSender = false

    @Option(
        help: ArgumentHelp(
            "Poll at a fixed interval instead of the adaptive schedule (a benchmark baseline).",
            visibility: .hidden
        )
    )
    var fixedPollInterval: String?

    func run() async throws {
        var pipeline = OxylabsPipelineConfiguration()
        pipeline.lease = try DurationInput.parse(lease, flag: "--lease")
        guard pipeline.lease >= .seconds(1) else { throw InputError("bad --lease \(lease): at least 1s") }
        guard (1...1024).contains(pollConcurrency) else {
            throw InputError("bad --poll-concurrency \(pollConcurrency): expected 1 to 1024")
        }
        pipeline.pollConcurrency = pollConcurrency
        for (flag, value) in [
            ("--submit-concurrency", submitConcurrency), ("--fetch-concurrency", fetchConcurrency),
            ("--max-errors", maxErrors),
        ] where !(1...1024).contains(value) {
            throw InputError("bad \(flag) \(value): expected 1 to 1024")
        }
        guard (0...100).contains(maxResubmissions) else {
            throw InputError("bad --max-resubmissions \(maxResubmissions): expected 0 to 100")
        }
        guard initialRate > 0, initialRate <= 10_000 else { throw InputError("bad --initial-rate \(initialRate)") }
        pipeline.submitConcurrency = submitConcurrency
        pipeline.fetchConcurrency = fetchConcurrency
        pipeline.maximumErrors = maxErrors
        pipeline.maximumResubmissions = maxResubmissions
        pipeline.initialSubmissionsPerSecond = initialRate
        pipeline.pendingDeadline = try DurationInput.parse(pendingDeadline, flag: "--pending-deadline")
        let backoff = retryBackoff.split(separator: ",").map(String.init)
        guard backoff.count == 2 else {
            throw InputError(
                "bad --retry-backoff \(retryBackoff.quotedForMessage): expected FIRST,LONGEST such as 1s,120s"
            )
        }
        pipeline.errorBackoff = Backoff(
            base: try DurationInput.parse(backoff[0], flag: "--retry-backoff"),
            cap: try DurationInput.parse(backoff[1], flag: "--retry-backoff")
        )
        pipeline.pollSchedule.fixedInterval = try fixedPollInterval.map { text throws(InputError) in
            try DurationInput.parse(text, flag: "--fixed-poll-interval")
        }
        let (host, port) = try Self.address(listen)
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                url.query == nil
            else { throw InputError("bad --public-url \(publicURL.quotedForMessage): expected an http(s) URL") }
        }
        var syncConfiguration = try sync.configuration(zone: try AccountZone.octoparse())
        syncConfiguration.lease = pipeline.lease
        let oxylabs = try Self.oxylabsAccount()
        let octoparse = try OctoparseEnvironment.account()
        guard oxylabs != nil || octoparse != nil else {
            throw InputError(
                "OXYLABS_USERNAME is not set, nor OCTOPARSE_USERNAME: set the credentials of at least one account"
            )
        }
        let store = try database.open(create: true)
        let secret = try store.secret(named: "oxylabs-callback", now: Date()) {
            (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        }
        if let publicURL { pipeline.callbackURL = CallbackReceiver.callbackURL(publicURL: publicURL, secret: secret) }
        var logger = Logger(label: "harvest")
        logger.logLevel = .info

        let http = OctoparseEnvironment.httpClient()
        let owner = PipelineContext.processOwner()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var context: PipelineContext?
        var wakeup = Wakeup()
        var senders: CallbackSenders?
        if let oxylabs {
            let pipelineContext = PipelineContext(
                database: store,
                client: OxylabsClient(account: oxylabs, http: http, timeout: pipeline.requestTimeout),
                configuration: pipeline,
                owner: owner,
                logger: logger
            )
            try pipelineContext.learnFromHistory()
            context = pipelineContext
            wakeup = pipelineContext.fetcherWakeup
            senders = checkCallbackSender ? CallbackSenders(client: pipelineContext.client, logger: logger) : nil
            services += senders.map { [.init(service: $0)] } ?? []
            services += [
                .init(service: OxylabsSubmitter(context: pipelineContext)),
                .init(service: OxylabsPoller(context: pipelineContext)),
                .init(service: OxylabsFetcher(context: pipelineContext)),
            ]
        }
        if let octoparse {
            let reader = OctoparseEnvironment.reader(
                account: octoparse,
                http: http,
                database: store,
                configuration: syncConfiguration,
                owner: owner,
                logger: logger
            )
            services.append(
                .init(
                    service: OctoparseSyncer(
                        database: store,
                        reader: reader,
                        configuration: syncConfiguration,
                        owner: owner,
                        logger: logger
                    )
                )
            )
        }
        let callbacks = CallbackReceiver(
            database: store,
            secret: secret,
            wakeup: wakeup,
            logger: logger,
            senders: senders
        )
        let metrics = PrometheusMetrics.bootstrap()
        let web = HarvestHTTPServer.make(
            host: host,
            port: port,
            callbacks: callbacks,
            database: store,
            metrics: metrics,
            logger: logger
        )
        services.insert(.init(service: web), at: 0)
        if untilIdle {
            // Idle also when the only open work waits on an account whose credentials were refused.
            let gate = context?.gate
            let monitor = IdleMonitor(
                database: store,
                isStalled: { gate?.reopensAt() != nil },
                tasksBehind: { [harvestsTasks = octoparse != nil] in
                    // Without an Octoparse account no task can move: they do not keep the service up.
                    guard harvestsTasks else { return 0 }
                    let paused = try store.accounts().contains {
                        $0.provider == "octoparse" && $0.state == "needs-credentials"
                    }
                    return paused ? 0 : try store.tasksBehind().count
                }
            )
            services.append(.init(service: monitor, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch {
            try? store.releaseLeases(owner: owner)
            try? await http.shutdown()
            throw CommandFailure(message: "the service stopped: \(error)")
        }
        try store.releaseLeases(owner: owner)
        try await http.shutdown()
        if untilIdle {
            let summary = try store.statusSummary()
            let failed = (summary.jobs[.failed] ?? 0) + (summary.jobs[.faulted] ?? 0)
            let line = JobStatus.allCases.map { "\($0.rawValue) \(summary.jobs[$0] ?? 0)" }.joined(separator: " · ")
            FileHandle.standardError.write(Data("harvest: idle: \(line)\n".utf8))
            let troubled = try store.accounts().filter { $0.state != "ok" }
            for account in troubled {
                FileHandle.standardError.write(
                    Data(
                        "harvest: account \(account.provider) \(account.username): \(account.state): \(account.lastError ?? "")\n"
                            .utf8
                    )
                )
            }
            let failedTasks = try store.tasks().filter { $0.enabled && $0.state == "failed" }
            for task in failedTasks {
                FileHandle.standardError.write(
                    Data("harvest: task \(task.taskID) failed: \(task.lastError ?? "")\n".utf8)
                )
            }
            if failed > 0 || !troubled.isEmpty || !failedTasks.isEmpty { throw ExitCode(1) }
        }
    }

    /// `HOST:PORT` (`[::1]:8080` for IPv6).
    static func address(_ text: String) throws(InputError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw InputError("bad --listen \(text.quotedForMessage): expected HOST:PORT such as 127.0.0.1:8080") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw InputError("bad --listen \(text.quotedForMessage): the host is empty") }
        return (host, port)
    }

    /// The Oxylabs account from the environment, or nil when `OXYLABS_USERNAME` is not set.
    static func oxylabsAccount() throws -> OxylabsAccount? {
        let environment = ProcessInfo.processInfo.environment
        guard let username = environment["OXYLABS_USERNAME"], !username.isEmpty else { return nil }
        guard let password = environment["OXYLABS_PASSWORD"], !password.isEmpty else {
            throw InputError("OXYLABS_PASSWORD is not set (OXYLABS_USERNAME is)")
        }
        let base = environment["OXYLABS_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? OxylabsAccount.defaultBaseURL
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else {
            throw InputError("bad OXYLABS_BASE_URL \(base.quotedForMessage): expected an http(s) URL")
        }
        return OxylabsAccount(baseURL: base, username: username, password: password)
    }
}
