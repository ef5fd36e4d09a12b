import ArgumentParser
import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestEngine
import HarvestStore
import Logging
import OctoparseAPI

/// `harvest tasks discover [--enable]`.
struct TasksDiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "List the account's Octoparse task groups and tasks and store them.",
        discussion: """
            Discovered tasks are stored disabled; --enable registers them all for harvesting by storage time
            (use `harvest tasks add ID --mode …` for another mode). The account comes from OCTOPARSE_USERNAME,
            OCTOPARSE_PASSWORD and OCTOPARSE_BASE_URL. Example:
              harvest tasks discover --enable
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Register every discovered task for harvesting.")
    var enable = false

    func run() async throws {
        let settings = try database.settings()
        let account = try OctoparseEnvironment.requiredAccount(settings)
        let zone = try OctoparseEnvironment.zone(settings)
        let store = try database.open(create: true)
        let http = HTTPClient.harvest(retryingConnections: false)
        var logger = Logger(label: "harvest")
        logger.logLevel = .warning
        var configuration = OctoparseSyncConfiguration()
        configuration.zone = zone
        let reader = OctoparseReader.make(
            account: account,
            http: http,
            database: store,
            configuration: configuration,
            owner: PipelineContext.processOwner(),
            logger: logger
        )
        let result: Result<([OctoparseTaskGroup], [DiscoveredTask]), any Error>
        do {
            let groups = try await reader.request("task groups") { client, token throws(OctoparseError) in
                try await client.taskGroups(token: token)
            }
            var tasks: [DiscoveredTask] = []
            for group in groups {
                let summaries = try await reader.request("tasks of group \(group.id)") {
                    client,
                    token throws(OctoparseError) in
                    try await client.tasks(groupID: group.id, token: token)
                }
                for summary in summaries {
                    guard let id = try? TaskID(parsing: summary.id) else {
                        logger.warning(
                            "skipping a task whose id Harvest does not take",
                            metadata: ["group": "\(group.id)", "id": "\(summary.id.quotedForMessage)"]
                        )
                        continue
                    }
                    tasks.append(DiscoveredTask(id: id, name: summary.name, groupID: group.id))
                }
            }
            result = .success((groups, tasks))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        let (groups, tasks): ([OctoparseTaskGroup], [DiscoveredTask])
        switch result {
        case .success(let found): (groups, tasks) = found
        case .failure(let error as OctoparseError): throw CommandFailure(message: error.description)
        case .failure(let error): throw error
        }
        let summary = try store.storeDiscovery(
            groups: groups.map { ($0.id, $0.name) },
            tasks: tasks,
            enable: enable,
            now: Date()
        )
        let records = try store.tasks().filter { record in tasks.contains { $0.id.rawValue == record.taskID } }
        let out = Output.standard
        if output.json {
            try out.json(records.map(TaskOutput.init))
        } else {
            var table = TextTable(["TASK ID", "NAME", "GROUP", "ENABLED", "TABLE"])
            for record in records {
                table.append([
                    record.taskID, record.name, record.groupID.map(String.init) ?? "", record.enabled ? "yes" : "no",
                    record.tableName ?? "",
                ])
            }
            if !records.isEmpty { out.line(table.render()) }
            out.line(
                "\(summary.groups) groups, \(summary.tasks) tasks (\(summary.new) new, \(summary.enabled) enabled now)"
            )
        }
        out.flush()
    }
}
