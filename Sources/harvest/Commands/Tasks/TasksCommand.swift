import ArgumentParser

/// `harvest tasks …`: Octoparse tasks whose data Harvest pages into SQL tables.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Discover, register, harvest and inspect Octoparse tasks.",
        subcommands: [
            TasksDiscoverCommand.self, TasksAddCommand.self, TasksListCommand.self, TasksShowCommand.self,
            TasksSyncCommand.self, TasksResetCommand.self,
        ]
    )
}
