import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest`: the admin CLI and the service (`harvest serve`).
struct HarvestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "Harvest Oxylabs jobs and Octoparse task data into one SQLite file.",
        discussion: """
            Exit status: 0 on success, 1 on a runtime failure, 2 on bad input (nothing is written then).
            The database is --db, else $HARVEST_DB, else the config file's (--config or $HARVEST_CONFIG), \
            else ./harvest.sqlite. `harvest config show` prints every setting and where it came from.
            """,
        subcommands: [
            JobsCommand.self, TasksCommand.self, QueryCommand.self, StatusCommand.self, MigrateCommand.self,
            SimulateCommand.self, ServeCommand.self, ConfigCommand.self, DemoCommand.self, BackupCommand.self,
            PruneCommand.self, DoctorCommand.self,
        ]
    )
}

@main
enum HarvestMain {
    static func main() async {
        // A file size limit (ulimit -f) then fails the write, which SQLite reports and rolls back,
        // instead of killing the process in the middle of a transaction.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try HarvestCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorReporter.exit(with: error)
        }
    }
}
