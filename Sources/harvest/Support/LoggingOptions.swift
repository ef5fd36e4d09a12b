import ArgumentParser
import HarvestCore
import HarvestEngine
import Logging

/// `--log-format` and `--log-level`, for the commands that run workers (`serve`, `tasks sync`).
struct LoggingOptions: ParsableArguments {
    static let levels: [Logger.Level] = Logger.Level.allCases

    @Option(help: "Log lines on standard error: logfmt or json.")
    var logFormat = LogFormat.logfmt.rawValue

    @Option(help: "The least severe events logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel = Logger.Level.info.rawValue

    /// The format and level the flags name.
    func resolved() throws(InputError) -> (format: LogFormat, level: Logger.Level) {
        guard let format = LogFormat(rawValue: logFormat.lowercased()) else {
            throw InputError(
                "bad --log-format \(logFormat.quotedForMessage): expected "
                    + LogFormat.allCases.map(\.rawValue).joined(separator: " or ")
            )
        }
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw InputError(
                "bad --log-level \(logLevel.quotedForMessage): expected one of "
                    + Self.levels.map(\.rawValue).joined(separator: ", ")
            )
        }
        return (format, level)
    }

    /// Checks the flags and makes every logger of the process write structured lines to standard error;
    /// returns the level, for the loggers the command makes itself. Call it once, first thing in `run()`.
    func bootstrap() throws(InputError) -> Logger.Level {
        let (format, level) = try resolved()
        bootstrapLogging(format: format, level: level)
        return level
    }
}

/// Makes every `Logger` of the process write `format` lines at `level` and above to standard error.
func bootstrapLogging(format: LogFormat, level: Logger.Level) {
    LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
}
