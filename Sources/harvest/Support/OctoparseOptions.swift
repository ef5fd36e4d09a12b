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
    @Option(help: SettingsCatalog.help("octoparse.safety_lag"))
    var safetyLag: String?

    @Option(help: SettingsCatalog.help("octoparse.look_back"))
    var lookBack: String?

    @Option(help: SettingsCatalog.help("octoparse.rate"))
    var octoparseRate: String?

    @Option(help: SettingsCatalog.help("octoparse.task_concurrency"))
    var taskConcurrency: String?

    /// The flags given, by setting key.
    var given: [String: String] {
        [
            "octoparse.safety_lag": safetyLag, "octoparse.look_back": lookBack, "octoparse.rate": octoparseRate,
            "octoparse.task_concurrency": taskConcurrency,
        ].compactMapValues { $0 }
    }
}

/// The Octoparse account and syncer configuration from the settings, and the objects that talk to it.
enum OctoparseEnvironment {
    static func configuration(_ settings: Settings) throws(InputError) -> OctoparseSyncConfiguration {
        var configuration = OctoparseSyncConfiguration()
        configuration.safetyLag = settings.duration("octoparse.safety_lag")
        configuration.lookBack = settings.duration("octoparse.look_back")
        configuration.requestsPerSecond = settings.number("octoparse.rate")
        configuration.concurrency = settings.integer("octoparse.task_concurrency")
        configuration.zone = try zone(settings)
        configuration.lease = settings.duration("service.lease")
        return configuration
    }

    /// The zone of the account's storage times.
    static func zone(_ settings: Settings) throws(InputError) -> UTCOffset {
        guard let text = settings.text("octoparse.timezone") else { return .octoparseDefault }
        do {
            return try UTCOffset(parsing: text)
        } catch {
            throw InputError("\(settings["octoparse.timezone"].label): \(error.message)")
        }
    }

    /// The account, or nil when no username is set.
    static func account(_ settings: Settings) throws(InputError) -> OctoparseAccount? {
        guard let username = settings.text("octoparse.username") else { return nil }
        guard let password = settings.text("octoparse.password") else {
            throw InputError(
                "OCTOPARSE_PASSWORD is not set (the username is, by \(settings["octoparse.username"].label))"
            )
        }
        let base = try BaseURL.check(settings, key: "octoparse.base_url")
        // The by-time call's host, when the account's server has it elsewhere (the seed's bazhuayu.com).
        let byTime =
            settings.text("octoparse.by_time_base_url") == nil
            ? nil : try BaseURL.check(settings, key: "octoparse.by_time_base_url")
        return OctoparseAccount(baseURL: base, byTimeBaseURL: byTime, username: username, password: password)
    }

    /// The account, required by the command.
    static func requiredAccount(_ settings: Settings) throws(InputError) -> OctoparseAccount {
        guard let account = try account(settings) else {
            throw InputError("OCTOPARSE_USERNAME is not set (and OCTOPARSE_PASSWORD): the Octoparse account to use")
        }
        return account
    }
}
