import ArgumentParser
import HarvestCore
import HarvestEngine
import Logging

/// `--log-format` and `--log-level`, for the commands that run workers (`serve`, `tasks sync`); also
/// the config keys `log.format` and `log.level` and their environment variables.
struct LoggingOptions: ParsableArguments {
    @Option(help: SettingsCatalog.help("log.format"))
    var logFormat: String?

    @Option(help: SettingsCatalog.help("log.level"))
    var logLevel: String?

    /// The flags given, by setting key.
    var given: [String: String] {
        ["log.format": logFormat, "log.level": logLevel].compactMapValues { $0 }
    }

    /// Makes every logger of the process write structured lines to standard error, as the settings say;
    /// returns the level, for the loggers the command makes itself. Call it once, before any logging.
    static func bootstrap(_ settings: Settings) -> Logger.Level {
        // The catalog lets only the names of formats and levels through.
        let format = settings.text("log.format").flatMap(LogFormat.init(rawValue:)) ?? .logfmt
        let level = settings.text("log.level").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
        return level
    }
}
