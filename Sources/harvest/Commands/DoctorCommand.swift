import ArgumentParser
import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestEngine

/// `harvest doctor`: read-only checks of the configured accounts against the real services, one line
/// each. The checks live in HarvestEngine (`Doctor`); this parses the settings and prints.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configured accounts against the real services, one line per check.",
        discussion: """
            Per host: DNS, connection and TLS, the server's clock. Then the credentials, the Octoparse task \
            groups and tasks, which reading of each open point the Octoparse server follows (probed with a \
            few small requests on a task with rows), whether OCTOPARSE_TIMEZONE looks right, and with \
            --public-url whether the callback address answers from here. Only configured providers are \
            checked. Read-only: the database is opened read-only if it exists, no token is stored, and no \
            paid job is submitted unless --submit-test-job is given. Never prints a password, a token or \
            the callback secret. Exit status 0 when no check failed, 1 otherwise. Examples:
              harvest doctor
              harvest doctor --public-url https://harvest.example.com --json
              harvest doctor --submit-test-job
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: SettingsCatalog.help("http.public_url"))
    var publicURL: String?

    @Option(help: SettingsCatalog.help("octoparse.rate"))
    var octoparseRate: String?

    @Flag(help: "Submit one paid `universal` job for https://example.com and report how its answers read.")
    var submitTestJob = false

    func run() async throws {
        let settings = try database.settings(
            flags: ["http.public_url": publicURL, "octoparse.rate": octoparseRate].compactMapValues { $0 }
        )
        var configuration = DoctorConfiguration()
        configuration.oxylabs = try ServiceSettings.oxylabsAccount(settings)
        configuration.octoparse = try OctoparseEnvironment.account(settings)
        configuration.zone = try OctoparseEnvironment.zone(settings)
        configuration.publicURL = try ServiceSettings.publicURL(settings)
        configuration.databasePath = DatabaseOptions.path(settings)
        configuration.submitTestJob = submitTestJob
        configuration.octoparseRequestsPerSecond = settings.number("octoparse.rate")
        let http = HTTPClient.harvest(retryingConnections: false)
        let out = Output.standard
        let json = output.json
        let checks = await Doctor(configuration: configuration, http: http).run { check in
            guard !json else { return }
            out.line(check.line)
            out.flush()
        }
        try? await http.shutdown()
        if json { try out.json(checks) }
        out.flush()
        if DoctorCheck.exitStatus(checks) != 0 { throw ExitCode(DoctorCheck.exitStatus(checks)) }
    }
}
