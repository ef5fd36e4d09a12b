import ArgumentParser

/// `harvest jobs …`: Oxylabs scraping jobs.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Enqueue and inspect Oxylabs scraping jobs.",
        subcommands: [
            JobsSubmitCommand.self, JobsListCommand.self, JobsShowCommand.self, JobsCancelCommand.self,
            JobsWaitCommand.self, JobsResultsCommand.self, JobsRetryCommand.self,
        ]
    )
}
