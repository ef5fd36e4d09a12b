import ArgumentParser
import Foundation
import HarvestCore
import HarvestSimulator
import UnixSignals

/// `harvest simulate`: the built-in fakes of Oxylabs and Octoparse, standalone, as a sandbox.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the built-in Oxylabs and Octoparse simulators on loopback.",
        discussion: """
            Prints one line per API with its base URL and test credentials, quoted as shell words, then
            serves until SIGINT or SIGTERM. Ground truth is under /__sim/ on each port. Example:
              harvest simulate --oxylabs-port 8001 --octoparse-port 8002 --faulted-share 0.05 --server-errors 0.02
            """
    )

    @Option(help: "Port of the Oxylabs fake (0: any free port).") var oxylabsPort = 0
    @Option(help: "Port of the Octoparse fake (0: any free port).") var octoparsePort = 0
    @Option(help: "Address both fakes listen on.") var host = "127.0.0.1"
    @Option(help: "Seed of the generated data and job latencies.") var seed: UInt64 = 1

    @Option(help: "Oxylabs username.") var oxylabsUsername = OxylabsConfiguration().username
    @Option(help: "Oxylabs password.") var oxylabsPassword = OxylabsConfiguration().password
    @Option(help: "Median job latency (log-normal), e.g. 3s or 250ms.") var latencyMedian = "3s"
    @Option(help: "Sigma of the log-normal job latency.") var latencySigma = 0.5
    @Option(help: "Share of jobs that end faulted (0 to 1).") var faultedShare = "0"
    @Option(help: "Share of result pages with target status 404 (0 to 1).") var notFoundShare = "0.05"
    @Option(help: "How long finished jobs stay reachable, e.g. 48h.") var retention = "48h"
    @Option(help: "Job submissions accepted per second.") var submissionsPerSecond = 100
    @Option(help: "Share of callbacks never sent (0 to 1).") var callbackLoss = "0"
    @Option(help: "Share of callbacks sent twice (0 to 1).") var callbackDuplicates = "0"
    @Option(help: "Delivery attempts of a callback whose receiver fails.") var callbackAttempts = 3
    @Option(help: "Comma list of addresses GET /v1/info/callbacker_ips reports.") var callbackerIps = "127.0.0.1,::1"
    @Flag(help: "Oxylabs results entries carry no 'type' (older samples).") var resultsWithoutType = false
    @Flag(help: "Oxylabs results answers carry no 'job' object (older samples).") var resultsWithoutJob = false
    @Option(help: "Oxylabs rate headers: documented (x-ratelimit-*), standard (RateLimit-*), unknown or none.")
    var rateHeaders = RateHeaderStyle.documented.rawValue

    @Option(help: "Octoparse username.") var octoparseUsername = OctoparseConfiguration().username
    @Option(help: "Octoparse password.") var octoparsePassword = OctoparseConfiguration().password
    @Option(help: "expires_in of Octoparse tokens, in seconds.") var expiresIn = OctoparseConfiguration().expiresIn
    @Option(help: "Refuse every Octoparse access token older than this, e.g. 30s.") var forcedTokenExpiry: String?
    @Option(help: "HTTP status of Octoparse 'unauthorized' answers: 401 or 200.") var unauthorizedStatus = 401
    @Flag(help: "Octoparse refresh answers omit refresh_token; the old one stays valid.")
    var refreshKeepsRefreshToken = false
    @Option(help: "Zone of Octoparse storage times, e.g. +08:00.") var serverTimezone = "+08:00"
    @Flag(help: "Octoparse windows exclude rows stored exactly at 'to'.") var toExclusive = false
    @Flag(help: "Octoparse answers without rows carry \"data\": null.") var emptyDataNull = false
    @Flag(help: "Octoparse task ids in the seed's style (taskid1, 1234ABCD) instead of GUIDs.")
    var seedStyleTaskIds = false
    @Option(help: "What 'total' of an Octoparse by-time answer counts: window or task.") var byTimeTotal = "window"
    @Option(help: "How Octoparse reads 'pageindex': page (a 1-based page number) or offset (a 0-based row).")
    var pageIndex = "page"
    @Option(help: "Rows of each ordinary Octoparse task.") var rowsPerTask = OctoparseConfiguration().rowsPerTask
    @Option(help: "Rows of the large Octoparse task.") var largeTaskRows = OctoparseConfiguration().largeTaskRows
    @Flag(help: "Add an Octoparse task that gains rows while the simulator runs.") var live = false
    @Option(help: "Rows per second of the live task.") var liveRowsPerSecond = OctoparseConfiguration()
        .liveRowsPerSecond
    @Option(help: "Share of live rows committed late (0 to 1).") var liveLateCommits = "0.2"
    @Option(help: "How late a late live row is committed, e.g. 5s.") var liveCommitDelay = "5s"
    @Option(help: "HTTP status of Octoparse taskid_error and export_pagesize_error answers.") var taskErrorStatus = 200

    @Option(help: "Share of requests answered 5xx (both APIs).") var serverErrors = "0"
    @Option(help: "Share of connections reset (both APIs).") var resets = "0"
    @Option(help: "Share of answers delayed by --slow-delay (both APIs).") var slow = "0"
    @Option(help: "Delay of a slow answer.") var slowDelay = "2s"
    @Option(help: "Share of answers with a truncated JSON body (both APIs).") var malformed = "0"

    func run() async throws {
        let configuration = try makeConfiguration()
        let simulator = HarvestSimulator(configuration)
        try await simulator.run(
            oxylabsPort: oxylabsPort,
            octoparsePort: octoparsePort,
            gracefulShutdownSignals: [.sigterm, .sigint]
        ) { endpoints in
            let oxylabs = configuration.oxylabs
            let octoparse = configuration.octoparse
            let output = Output()
            output.line(
                "oxylabs base_url=\(Self.shellWord(endpoints.oxylabsBaseURL)) username=\(Self.shellWord(oxylabs.username))"
                    + " password=\(Self.shellWord(oxylabs.password))"
            )
            output.line(
                "octoparse base_url=\(Self.shellWord(endpoints.octoparseBaseURL))"
                    + " username=\(Self.shellWord(octoparse.username)) password=\(Self.shellWord(octoparse.password))"
            )
            output.flush()
        }
    }

    /// Every flag, checked and turned into the simulators' configuration.
    func makeConfiguration() throws -> SimulatorConfiguration {
        for (name, port) in [("--oxylabs-port", oxylabsPort), ("--octoparse-port", octoparsePort)]
        where !(0...65_535).contains(port) {
            throw InputError("bad \(name) \(port): expected 0 to 65535")
        }
        guard submissionsPerSecond >= 1 else {
            throw InputError("bad --submissions-per-second \(submissionsPerSecond): expected at least 1")
        }
        guard latencySigma >= 0, latencySigma <= 5 else {
            throw InputError("bad --latency-sigma \(latencySigma): expected 0 to 5")
        }
        guard [200, 401].contains(unauthorizedStatus) else {
            throw InputError("bad --unauthorized-status \(unauthorizedStatus): expected 401 or 200")
        }
        guard expiresIn >= 1 else { throw InputError("bad --expires-in \(expiresIn): expected at least 1") }
        guard rowsPerTask >= 0, largeTaskRows >= 0 else { throw InputError("row counts cannot be negative") }
        guard liveRowsPerSecond > 0 else { throw InputError("bad --live-rows-per-second: expected more than 0") }

        var configuration = SimulatorConfiguration()
        configuration.seed = seed
        configuration.host = host
        var faults = FaultRates()
        faults.serverError = try ShareInput.parse(serverErrors, flag: "--server-errors")
        faults.connectionReset = try ShareInput.parse(resets, flag: "--resets")
        faults.slowResponse = try ShareInput.parse(slow, flag: "--slow")
        faults.slowDelay = try DurationInput.parse(slowDelay, flag: "--slow-delay")
        faults.malformedBody = try ShareInput.parse(malformed, flag: "--malformed")

        var oxylabs = OxylabsConfiguration()
        oxylabs.username = oxylabsUsername
        oxylabs.password = oxylabsPassword
        oxylabs.latencyMedian = try DurationInput.parse(latencyMedian, flag: "--latency-median")
        oxylabs.latencySigma = latencySigma
        oxylabs.faultedShare = try ShareInput.parse(faultedShare, flag: "--faulted-share")
        oxylabs.notFoundShare = try ShareInput.parse(notFoundShare, flag: "--not-found-share")
        oxylabs.retention = try DurationInput.parse(retention, flag: "--retention")
        oxylabs.submissionsPerSecond = submissionsPerSecond
        oxylabs.callbackLossShare = try ShareInput.parse(callbackLoss, flag: "--callback-loss")
        oxylabs.callbackDuplicateShare = try ShareInput.parse(callbackDuplicates, flag: "--callback-duplicates")
        guard (1...20).contains(callbackAttempts) else {
            throw InputError("bad --callback-attempts \(callbackAttempts): expected 1 to 20")
        }
        oxylabs.callbackAttempts = callbackAttempts
        oxylabs.callbackerIPs = callbackerIps.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        oxylabs.faults = faults
        oxylabs.resultsOmitType = resultsWithoutType
        oxylabs.resultsOmitJob = resultsWithoutJob
        guard let style = RateHeaderStyle(rawValue: rateHeaders) else {
            throw InputError(
                "bad --rate-headers \(rateHeaders.quotedForMessage): expected "
                    + RateHeaderStyle.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        oxylabs.rateHeaders = style
        configuration.oxylabs = oxylabs

        var octoparse = OctoparseConfiguration()
        octoparse.username = octoparseUsername
        octoparse.password = octoparsePassword
        octoparse.expiresIn = expiresIn
        octoparse.forcedTokenExpiry = try forcedTokenExpiry.map { text throws(InputError) in
            try DurationInput.parse(text, flag: "--forced-token-expiry")
        }
        octoparse.unauthorizedStatus = unauthorizedStatus
        octoparse.refreshKeepsRefreshToken = refreshKeepsRefreshToken
        octoparse.serverTimeZone = try UTCOffset(parsing: serverTimezone)
        octoparse.toIsInclusive = !toExclusive
        octoparse.emptyDataIsNull = emptyDataNull
        octoparse.seedStyleTaskIDs = seedStyleTaskIds
        octoparse.totalReading = try TotalReading(parsing: byTimeTotal)
        octoparse.pageIndexReading = try PageIndexReading(parsing: pageIndex)
        octoparse.rowsPerTask = rowsPerTask
        octoparse.largeTaskRows = largeTaskRows
        octoparse.live = live
        octoparse.liveRowsPerSecond = liveRowsPerSecond
        octoparse.liveLateCommitShare = try ShareInput.parse(liveLateCommits, flag: "--live-late-commits")
        octoparse.liveCommitDelay = try DurationInput.parse(liveCommitDelay, flag: "--live-commit-delay")
        guard (100...599).contains(taskErrorStatus) else {
            throw InputError("bad --task-error-status \(taskErrorStatus): expected an HTTP status")
        }
        octoparse.taskErrorStatus = taskErrorStatus
        octoparse.faults = faults
        configuration.octoparse = octoparse
        return configuration
    }

    /// `value` as one single-quoted shell word: `'p&ss+w%rd 1'`, with `'` written as `'\''`.
    static func shellWord(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
