import ArgumentParser

/// The flags of `harvest serve` that are also config-file keys; unset flags leave the key to the
/// environment, the config file or the default.
struct ServiceOptions: ParsableArguments {
    @Option(help: SettingsCatalog.help("http.listen"))
    var listen: String?

    @Option(help: SettingsCatalog.help("http.public_url"))
    var publicURL: String?

    @Flag(inversion: .prefixedNo, help: SettingsCatalog.help("http.check_callback_sender"))
    var checkCallbackSender: Bool?

    @Option(help: SettingsCatalog.help("service.lease"))
    var lease: String?

    @Option(help: SettingsCatalog.help("service.shutdown_grace"))
    var shutdownGrace: String?

    @Option(help: SettingsCatalog.help("service.stall_after"))
    var stallAfter: String?

    @Option(help: SettingsCatalog.help("oxylabs.poll_concurrency"))
    var pollConcurrency: String?

    @Option(help: SettingsCatalog.help("oxylabs.submit_concurrency"))
    var submitConcurrency: String?

    @Option(help: SettingsCatalog.help("oxylabs.fetch_concurrency"))
    var fetchConcurrency: String?

    @Option(help: SettingsCatalog.help("oxylabs.initial_rate"))
    var initialRate: String?

    @Option(help: SettingsCatalog.help("oxylabs.max_resubmissions"))
    var maxResubmissions: String?

    @Option(help: SettingsCatalog.help("oxylabs.max_errors"))
    var maxErrors: String?

    @Option(help: SettingsCatalog.help("oxylabs.retry_backoff"))
    var retryBackoff: String?

    @Option(help: SettingsCatalog.help("oxylabs.pending_deadline"))
    var pendingDeadline: String?

    /// The flags given, by setting key.
    var given: [String: String] {
        [
            "http.listen": listen, "http.public_url": publicURL,
            "http.check_callback_sender": checkCallbackSender.map { $0 ? "true" : "false" },
            "service.lease": lease, "service.shutdown_grace": shutdownGrace, "service.stall_after": stallAfter,
            "oxylabs.poll_concurrency": pollConcurrency, "oxylabs.submit_concurrency": submitConcurrency,
            "oxylabs.fetch_concurrency": fetchConcurrency, "oxylabs.initial_rate": initialRate,
            "oxylabs.max_resubmissions": maxResubmissions, "oxylabs.max_errors": maxErrors,
            "oxylabs.retry_backoff": retryBackoff, "oxylabs.pending_deadline": pendingDeadline,
        ].compactMapValues { $0 }
    }
}
