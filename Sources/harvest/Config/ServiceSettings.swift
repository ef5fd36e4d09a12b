import Foundation
import HarvestCore
import HarvestEngine
import HarvestServer
import OxylabsAPI

/// Turns the effective settings into what `harvest serve` runs with, checking what the catalog's kinds
/// cannot (addresses, URLs, pairs of durations). Errors name the key, flag or variable the value came from.
enum ServiceSettings {
    /// `requireAccount`: `serve` needs one account at least; `config show` shows a configuration without.
    static func configuration(
        _ settings: Settings,
        requireAccount: Bool
    ) throws(InputError) -> HarvestServiceConfiguration {
        var configuration = HarvestServiceConfiguration()
        (configuration.host, configuration.port) = try address(settings)
        configuration.publicURL = try publicURL(settings)
        configuration.checkCallbackSender = settings.boolean("http.check_callback_sender")
        if let token = settings.text("http.admin_token") {
            guard token.utf8.count >= 16 else {
                throw InputError("\(settings["http.admin_token"].label) is too short: use 16 characters or more")
            }
            configuration.adminToken = token
        }
        configuration.shutdownGrace = settings.duration("service.shutdown_grace")
        configuration.stallAfter = settings.duration("service.stall_after")
        configuration.pipeline = try pipeline(settings)
        configuration.sync = try OctoparseEnvironment.configuration(settings)
        configuration.oxylabs = try oxylabsAccount(settings)
        configuration.octoparse = try OctoparseEnvironment.account(settings)
        guard !requireAccount || configuration.oxylabs != nil || configuration.octoparse != nil else {
            throw InputError(
                "OXYLABS_USERNAME is not set, nor OCTOPARSE_USERNAME: set the credentials of at least one account"
            )
        }
        return configuration
    }

    /// `http.public_url`, checked: an http(s) URL without query, fragment (the callback path is appended)
    /// or credentials; nil when unset.
    static func publicURL(_ settings: Settings) throws(InputError) -> String? {
        guard let publicURL = settings.text("http.public_url") else { return nil }
        guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw InputError(
                "bad \(settings["http.public_url"].label) \(publicURL.quotedForMessage): expected an http(s) URL"
            )
        }
        return publicURL
    }

    static func pipeline(_ settings: Settings) throws(InputError) -> OxylabsPipelineConfiguration {
        var pipeline = OxylabsPipelineConfiguration()
        pipeline.lease = settings.duration("service.lease")
        pipeline.pollConcurrency = settings.integer("oxylabs.poll_concurrency")
        pipeline.submitConcurrency = settings.integer("oxylabs.submit_concurrency")
        pipeline.fetchConcurrency = settings.integer("oxylabs.fetch_concurrency")
        pipeline.maximumErrors = settings.integer("oxylabs.max_errors")
        pipeline.maximumResubmissions = settings.integer("oxylabs.max_resubmissions")
        pipeline.initialSubmissionsPerSecond = settings.number("oxylabs.initial_rate")
        pipeline.pendingDeadline = settings.duration("oxylabs.pending_deadline")
        let resolved = settings["oxylabs.retry_backoff"]
        let text = settings.text("oxylabs.retry_backoff") ?? ""
        let parts = text.split(separator: ",").map(String.init)
        guard parts.count == 2 else {
            throw InputError(
                "bad \(resolved.label) \(text.quotedForMessage): expected FIRST,LONGEST such as 1s,120s"
            )
        }
        let first = try DurationInput.parse(parts[0], flag: resolved.label)
        let longest = try DurationInput.parse(parts[1], flag: resolved.label)
        // Retrying without a pause would hammer an upstream that is already failing.
        guard first >= .milliseconds(100), first <= longest else {
            throw InputError(
                "bad \(resolved.label) \(text.quotedForMessage): FIRST must be at least 100ms and at most LONGEST"
            )
        }
        pipeline.errorBackoff = Backoff(base: first, cap: longest)
        return pipeline
    }

    /// `HOST:PORT` (`[::1]:8080` for IPv6).
    static func address(_ settings: Settings) throws(InputError) -> (String, Int) {
        let label = settings["http.listen"].label
        let text = settings.text("http.listen") ?? ""
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw InputError("bad \(label) \(text.quotedForMessage): expected HOST:PORT such as 127.0.0.1:8080") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw InputError("bad \(label) \(text.quotedForMessage): the host is empty") }
        return (host, port)
    }

    /// The Oxylabs account, or nil when no username is set.
    static func oxylabsAccount(_ settings: Settings) throws(InputError) -> OxylabsAccount? {
        guard let username = settings.text("oxylabs.username") else { return nil }
        guard let password = settings.text("oxylabs.password") else {
            throw InputError("OXYLABS_PASSWORD is not set (the username is, by \(settings["oxylabs.username"].label))")
        }
        return OxylabsAccount(
            baseURL: try BaseURL.check(settings, key: "oxylabs.base_url"),
            username: username,
            password: password
        )
    }
}
