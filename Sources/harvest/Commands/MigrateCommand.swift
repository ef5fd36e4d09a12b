import ArgumentParser
import Foundation
import HarvestStore

/// `harvest migrate`: create the database or bring its schema up to date.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the database, or apply pending migrations to it.",
        discussion: """
            Every command migrates on open; this one does only that. It refuses a database whose applied
            migrations were edited, or that a newer harvest migrated. Example: harvest migrate --db /var/lib/harvest/harvest.sqlite
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let opened = try database.open(create: true)
        let after = try opened.appliedMigrations()
        let applied = opened.newlyApplied
        let out = Output.standard
        if output.json {
            struct Shown: Encodable {
                var database: String
                var applied: [String]
                var migrations: [String]
            }
            try out.json(Shown(database: try database.path, applied: applied, migrations: after))
        } else if applied.isEmpty {
            out.line("\(try database.path) is up to date (\(after.count) migration(s))")
        } else {
            for name in applied { out.line("applied \(name)") }
        }
        out.flush()
    }
}
