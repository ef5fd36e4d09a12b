import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `--db PATH`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    static let defaultPath = "./harvest.sqlite"

    @Option(name: .long, help: "The database file (default: $HARVEST_DB, else ./harvest.sqlite).")
    var db: String?

    /// The path chosen by flag, then environment, then default.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["HARVEST_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Self.defaultPath
    }

    func validate() throws {
        if let db, db.isEmpty { throw ValidationError("--db is empty") }
    }

    /// Opens the database, creating it when `create` is true, and applies pending migrations.
    func open(create: Bool = false) throws -> HarvestDatabase {
        try HarvestDatabase(path: path, create: create)
    }
}

/// `--json`, on every read command.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}
