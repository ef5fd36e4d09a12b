import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `--config FILE` and `--db PATH`, shared by every command: where the settings and the database are.
struct DatabaseOptions: ParsableArguments {
    static let defaultPath = "./harvest.sqlite"
    /// Larger than any sensible config file; a bigger one is a mistake, not a configuration.
    static let largestConfigFile = 1 << 20

    @Option(name: .long, help: "A config file in TOML (default: $HARVEST_CONFIG, else none).")
    var config: String?

    @Option(
        name: .long,
        help: "The database file (default: $HARVEST_DB, else the config file's, else ./harvest.sqlite)."
    )
    var db: String?

    func validate() throws {
        if let db, db.isEmpty { throw ValidationError("--db is empty") }
        if let config, config.isEmpty { throw ValidationError("--config is empty") }
    }

    /// The effective configuration: defaults, then the config file, the environment and `flags` (by key).
    func settings(flags: [String: String] = [:]) throws(InputError) -> Settings {
        var given = flags
        if let db { given["database"] = db }
        return try Settings(
            catalog: SettingsCatalog.all,
            file: try configFile(),
            environment: ProcessInfo.processInfo.environment,
            flags: given
        )
    }

    /// The database path, from `--db`, `$HARVEST_DB`, the config file, or the default.
    var path: String {
        get throws(InputError) { Self.path(try settings()) }
    }

    static func path(_ settings: Settings) -> String {
        settings.text("database") ?? defaultPath
    }

    /// Opens the database, creating it when `create` is true, and applies pending migrations.
    func open(create: Bool = false) throws -> HarvestDatabase {
        try Self.open(try settings(), create: create)
    }

    /// Opens the database the settings name: for commands that resolved their settings with more flags.
    static func open(_ settings: Settings, create: Bool = false) throws -> HarvestDatabase {
        try HarvestDatabase(path: path(settings), create: create)
    }

    /// The config file named by `--config` or `$HARVEST_CONFIG`, read and parsed; nil when none is named.
    private func configFile() throws(InputError) -> (path: String, contents: ConfigFile)? {
        let environment = ProcessInfo.processInfo.environment["HARVEST_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = config ?? environment else { return nil }
        // attributesOfItem does not follow links; /etc/harvest/harvest.toml may well be one.
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target) else {
            throw InputError("config file \(path.quotedForMessage) does not exist")
        }
        // A regular file only: a FIFO would block, a device would never end.
        guard attributes[.type] as? FileAttributeType == .typeRegular,
            let handle = FileHandle(forReadingAtPath: path)
        else { throw InputError("cannot read config file \(path.quotedForMessage): not a regular file") }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Self.largestConfigFile + 1) ?? Data() else {
            throw InputError("cannot read config file \(path.quotedForMessage)")
        }
        guard data.count <= Self.largestConfigFile else {
            throw InputError("config file \(path.quotedForMessage) is larger than 1 MiB")
        }
        do {
            return (path, try ConfigFile(parsing: Array(data)))
        } catch {
            // `harvest.toml line 3: …`, or `harvest.toml: the file is not UTF-8 text`.
            throw InputError(
                error.message.hasPrefix("line ") ? "\(path) \(error.message)" : "\(path): \(error.message)"
            )
        }
    }
}

/// `--json`, on every read command.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}
