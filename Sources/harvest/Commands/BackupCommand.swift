import ArgumentParser
import Foundation
import HarvestStore

/// `harvest backup FILE`: a consistent copy of the database, safe while the service runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file, consistently, while the service runs.",
        discussion: """
            Uses SQLite's online backup from one read snapshot: the service keeps working, and the copy \
            is the database as it was at one instant. FILE must not exist; the copy is written beside it \
            and renamed into place. The copy holds the stored tokens and secrets, so it is created \
            readable by its owner only. Example: harvest backup /var/backups/harvest-2026-11-27.sqlite
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The new file to write.")
    var file: String

    func validate() throws {
        if file.isEmpty { throw ValidationError("FILE is empty") }
    }

    func run() throws {
        let summary = try database.open().backup(to: file)
        let out = Output.standard
        if output.json {
            try out.json(summary)
        } else {
            out.line("backed up \(try database.path) to \(summary.path) (\(summary.bytes) bytes)")
        }
        out.flush()
    }
}
