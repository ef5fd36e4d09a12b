import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestStore
import OctoparseAPI
import OxylabsAPI

/// `harvest doctor`: read-only checks of the configured accounts against the real services, one
/// ``DoctorCheck`` each — hosts (DNS, connection and TLS, clock), credentials, Octoparse tasks and the
/// readings of the open points this account's server follows, the zone, the public URL and, when asked,
/// one paid test job. It never writes to the database and never prints a secret.
///
/// ```swift
/// let checks = await Doctor(configuration: configuration, http: http).run { print($0.line) }
/// exit(DoctorCheck.exitStatus(checks))
/// ```
public struct Doctor: Sendable {
    let configuration: DoctorConfiguration
    let http: HTTPClient
    let now: @Sendable () -> Date

    /// - Parameter http: a client that does not retry failed connections
    ///   (`HTTPClient.harvest(retryingConnections: false)`), so that an unreachable host is one line in
    ///   seconds.
    public init(configuration: DoctorConfiguration, http: HTTPClient, now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.http = http
        self.now = now
    }

    /// The line printed, and the only check made, when no account is configured.
    public static let noAccount = DoctorCheck(
        "config",
        .fail,
        "no account is configured: set OXYLABS_USERNAME and OXYLABS_PASSWORD, or OCTOPARSE_USERNAME and "
            + "OCTOPARSE_PASSWORD (environment, config file or --config)"
    )

    /// Runs every check, handing each to `report` as soon as it is made, and returns them all.
    public func run(report: (DoctorCheck) -> Void = { _ in }) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        func add(_ new: [DoctorCheck]) {
            for check in new { report(check) }
            checks += new
        }
        guard configuration.oxylabs != nil || configuration.octoparse != nil else {
            add([Self.noAccount])
            return checks
        }
        let (database, databaseCheck) = openDatabase()
        add([databaseCheck])
        if let account = configuration.oxylabs {
            await OxylabsDoctor(account: account, doctor: self).run(add)
        }
        if let account = configuration.octoparse {
            await OctoparseDoctor(account: account, database: database, doctor: self).run(add)
        }
        if let publicURL = configuration.publicURL {
            add([await CallbackReachability(publicURL: publicURL, doctor: self).check()])
        }
        return checks
    }

    /// The checks of one host.
    func hostChecks(_ name: String, baseURL: String, setting: String) async -> (checks: [DoctorCheck], reachable: Bool)
    {
        await HostCheck(
            name: name,
            baseURL: baseURL,
            setting: setting,
            http: http,
            timeout: configuration.requestTimeout,
            now: now
        ).run()
    }

    /// The database opened read-only, when it exists, and the line that says so.
    private func openDatabase() -> (HarvestDatabase?, DoctorCheck) {
        guard let path = configuration.databasePath, FileManager.default.fileExists(atPath: path) else {
            let path = configuration.databasePath ?? "(none)"
            return (nil, DoctorCheck("database", .info, "no database at \(path): checked without one"))
        }
        do {
            let database = try HarvestDatabase(readingOnly: path)
            let pending = try database.pendingMigrations()
            guard pending.isEmpty else {
                // An older schema may lack columns the task query reads.
                let tasks = (try? database.tasks().count) ?? 0
                return (
                    database,
                    DoctorCheck(
                        "database",
                        .warn,
                        "\(path) (read-only): \(DoctorText.count(pending.count, "migration")) not applied yet "
                            + "(the next write applies them; or run `harvest migrate`); \(DoctorText.count(tasks, "task")) registered"
                    )
                )
            }
            let tasks = try database.tasks().count
            return (
                database,
                DoctorCheck("database", .ok, "\(path) (read-only): \(DoctorText.count(tasks, "task")) registered")
            )
        } catch {
            return (nil, DoctorCheck("database", .fail, "cannot read \(path): \(error)"))
        }
    }
}
