import ArgumentParser
import Foundation
import HarvestCore

/// `harvest config show`: every knob's effective value and where it came from, secrets masked.
struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the effective configuration, with where each value came from (secrets masked).",
        discussion: """
            Precedence, lowest to highest: the default, the config file (--config or $HARVEST_CONFIG), the
            environment, flags. Takes the flags of `harvest serve`, to show what it would run with, and
            checks everything serve checks (exit 2 naming the bad key). Examples:
              harvest config show --config /etc/harvest/harvest.toml
              harvest config show --listen 0.0.0.0:9000 --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ServiceOptions
    @OptionGroup var sync: OctoparseSyncOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let flags = options.given.merging(sync.given) { flag, _ in flag }.merging(logging.given) { flag, _ in flag }
        let settings = try database.settings(flags: flags)
        // The same checks as serve, except that no account is required to show the configuration.
        _ = try ServiceSettings.configuration(settings, requireAccount: false)
        let out = Output.standard
        if output.json {
            struct Shown: Encodable {
                var key: String
                var value: String?
                var source: String
                var environment: String
                var flag: String?
                var secret: Bool
                var summary: String
            }
            try out.json(
                settings.all.map {
                    Shown(
                        key: $0.setting.key,
                        value: $0.text == nil ? nil : $0.shown,
                        source: $0.source.description,
                        environment: $0.setting.environment,
                        flag: $0.setting.flag,
                        secret: $0.setting.isSecret,
                        summary: $0.setting.summary
                    )
                }
            )
        } else {
            var table = TextTable(["KEY", "VALUE", "SOURCE"])
            for resolved in settings.all {
                table.append([resolved.setting.key, resolved.shown, resolved.source.description])
            }
            out.line(table.render())
        }
        out.flush()
    }
}
