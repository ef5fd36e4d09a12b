import ArgumentParser

/// `harvest tasks …`: Octoparse tasks whose data Harvest pages into SQL tables.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Register and inspect Octoparse tasks.",
        subcommands: [TasksAddCommand.self, TasksListCommand.self, TasksShowCommand.self]
    )
}
