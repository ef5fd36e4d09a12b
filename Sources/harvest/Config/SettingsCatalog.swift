import ArgumentParser
import Foundation
import HarvestCore
import OctoparseAPI
import OxylabsAPI

/// Every knob Harvest reads, in the order `harvest config show` and the README list them.
enum SettingsCatalog {
    static let all: [Setting] = general + http + service + oxylabs + octoparse

    static let general: [Setting] = [
        Setting(
            "database",
            environment: "HARVEST_DB",
            flag: "--db",
            default: "./harvest.sqlite",
            summary: "The SQLite file."
        ),
        Setting(
            "log.format",
            flag: "--log-format",
            default: "logfmt",
            kind: .choice(["logfmt", "json"]),
            summary: "Log lines as logfmt or JSON, on stderr."
        ),
        Setting(
            "log.level",
            flag: "--log-level",
            default: "info",
            kind: .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            summary: "The least severe level logged."
        ),
    ]

    static let http: [Setting] = [
        Setting(
            "http.listen",
            flag: "--listen",
            default: "127.0.0.1:8080",
            summary: "HOST:PORT of the HTTP server (callbacks, health, metrics); port 0 picks one."
        ),
        Setting(
            "http.public_url",
            flag: "--public-url",
            summary: "The URL at which Oxylabs reaches this service (through a reverse proxy); enables callbacks."
        ),
        Setting(
            "http.check_callback_sender",
            flag: "--check-callback-sender",
            default: "false",
            kind: .boolean,
            summary: "Accept callbacks only from Oxylabs' callbacker IPs (when Oxylabs connects directly)."
        ),
        Setting(
            "http.admin_token",
            environment: "HARVEST_ADMIN_TOKEN",
            secret: true,
            summary: "Bearer token of the admin API (POST /admin/jobs, GET /admin/status); unset: no admin API."
        ),
    ]

    static let service: [Setting] = [
        Setting(
            "service.lease",
            flag: "--lease",
            default: "120s",
            kind: .duration(minimum: .seconds(1)),
            summary: "How long a claimed job, window or task stays reserved for one process."
        ),
        Setting(
            "service.shutdown_grace",
            flag: "--shutdown-grace",
            default: "30s",
            kind: .duration(minimum: .zero),
            summary: "On SIGTERM, how long requests in flight may take to finish before they are cut off."
        ),
        Setting(
            "service.stall_after",
            flag: "--stall-after",
            default: "5m",
            kind: .duration(minimum: .seconds(1)),
            summary: "/readyz turns unready once Oxylabs has refused every submission with 429 this long."
        ),
    ]

    static let oxylabs: [Setting] = [
        Setting("oxylabs.username", environment: "OXYLABS_USERNAME", summary: "The Oxylabs API user; unset: no jobs."),
        Setting(
            "oxylabs.password",
            environment: "OXYLABS_PASSWORD",
            secret: true,
            summary: "The Oxylabs API user's password."
        ),
        Setting(
            "oxylabs.base_url",
            environment: "OXYLABS_BASE_URL",
            default: OxylabsAccount.defaultBaseURL,
            summary: "Where the Oxylabs API is."
        ),
        Setting(
            "oxylabs.poll_concurrency",
            flag: "--poll-concurrency",
            default: "32",
            kind: .integer(1...1024),
            summary: "Status polls in flight at once."
        ),
        Setting(
            "oxylabs.submit_concurrency",
            flag: "--submit-concurrency",
            default: "4",
            kind: .integer(1...1024),
            summary: "Submit requests in flight at once."
        ),
        Setting(
            "oxylabs.fetch_concurrency",
            flag: "--fetch-concurrency",
            default: "8",
            kind: .integer(1...1024),
            summary: "Result downloads in flight at once."
        ),
        Setting(
            "oxylabs.initial_rate",
            flag: "--initial-rate",
            default: "10",
            kind: .number(0.01...10_000),
            summary: "Submissions per second until Oxylabs announces its limit."
        ),
        Setting(
            "oxylabs.max_resubmissions",
            flag: "--max-resubmissions",
            default: "3",
            kind: .integer(0...100),
            summary: "Times a faulted job is submitted again before it ends faulted."
        ),
        Setting(
            "oxylabs.max_errors",
            flag: "--max-errors",
            default: "12",
            kind: .integer(1...1024),
            summary: "Consecutive transient errors on a job before it fails."
        ),
        Setting(
            "oxylabs.retry_backoff",
            flag: "--retry-backoff",
            default: "1s,120s",
            summary: "First and longest retry delay after a transient error, FIRST,LONGEST."
        ),
        Setting(
            "oxylabs.pending_deadline",
            flag: "--pending-deadline",
            default: "6h",
            kind: .duration(minimum: .seconds(1)),
            summary: "A job still pending this long after submission fails."
        ),
    ]

    static let octoparse: [Setting] = [
        Setting(
            "octoparse.username",
            environment: "OCTOPARSE_USERNAME",
            summary: "The Octoparse account; unset: no tasks."
        ),
        Setting(
            "octoparse.password",
            environment: "OCTOPARSE_PASSWORD",
            secret: true,
            summary: "The Octoparse account's password."
        ),
        Setting(
            "octoparse.base_url",
            environment: "OCTOPARSE_BASE_URL",
            default: OctoparseAccount.defaultBaseURL,
            summary: "Where the Octoparse API is (http sends the password in clear)."
        ),
        Setting(
            "octoparse.by_time_base_url",
            environment: "OCTOPARSE_BY_TIME_BASE_URL",
            summary: "Where the by-time call (GetDataOfTaskByTimeAndPaging) goes; unset: octoparse.base_url."
        ),
        Setting(
            "octoparse.timezone",
            environment: "OCTOPARSE_TIMEZONE",
            default: "+08:00",
            summary: "The UTC offset of the account's storage times."
        ),
        Setting(
            "octoparse.safety_lag",
            flag: "--safety-lag",
            default: "2m",
            kind: .duration(minimum: .zero),
            summary: "Read a storage-time window only once it ended this long ago (rows are committed late)."
        ),
        Setting(
            "octoparse.look_back",
            flag: "--look-back",
            default: "1h",
            kind: .duration(minimum: .zero),
            summary: "Re-check windows that ended within this period for rows committed late."
        ),
        Setting(
            "octoparse.rate",
            flag: "--octoparse-rate",
            default: "20",
            kind: .number(0.01...100_000),
            summary: "Octoparse requests per second (the account's limit)."
        ),
        Setting(
            "octoparse.task_concurrency",
            flag: "--task-concurrency",
            default: "4",
            kind: .integer(1...64),
            summary: "Octoparse tasks synced at once."
        ),
    ]
}

extension SettingsCatalog {
    /// A flag's help: the knob's summary, its default, and where else it can be set.
    static func help(_ key: String) -> ArgumentHelp {
        guard let setting = all.first(where: { $0.key == key }) else { preconditionFailure("no setting \(key)") }
        let fallback = setting.defaultValue.map { "default \($0); " } ?? ""
        return ArgumentHelp("\(setting.summary) (\(fallback)config \(setting.key), env \(setting.environment))")
    }
}

/// Checks a base URL setting: an http(s) URL with a host.
enum BaseURL {
    static func check(_ settings: Settings, key: String) throws(InputError) -> String {
        let resolved = settings[key]
        let text = settings.text(key) ?? resolved.setting.defaultValue ?? ""
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else { throw InputError("bad \(resolved.label) \(text.quotedForMessage): expected an http(s) URL") }
        // The URL is shown by `config show` and in errors: credentials go in their own settings.
        guard url.user == nil, url.password == nil else {
            throw InputError(
                "bad \(resolved.label): put the credentials in the username and password settings, not in the URL"
            )
        }
        return text
    }
}
