import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest jobs show ID`: one job, its stored results and its history.
struct JobsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a job, its stored results and its history.",
        discussion: "Example: harvest jobs show 42"
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var target: JobIDArgument

    func run() throws {
        let details = try database.open().jobDetails(id: target.id)
        let out = Output.standard
        if output.json {
            struct Shown: Encodable {
                var job: JobOutput
                var results: [ResultSummary]
                var events: [EventRecord]
            }
            try out.json(Shown(job: JobOutput(details.job), results: details.results, events: details.events))
            out.flush()
            return
        }
        let job = details.job
        let fields: [(String, String?)] = [
            ("id", String(job.id)), ("status", job.status.rawValue), ("remote id", job.remoteID),
            ("source", job.source), ("url", job.url), ("query", job.query), ("payload", job.payload),
            ("result types", job.resultTypes), ("idempotency key", job.idempotencyKey),
            ("attempts", String(job.attempts)), ("re-submissions", String(job.resubmissions)),
            ("faults", String(job.faults)), ("polls", String(job.polls)), ("last error", job.lastError),
            ("next action", job.nextActionAt), ("created", job.createdAt), ("submitted", job.submittedAt),
            ("completed", job.completedAt), ("updated", job.updatedAt),
        ]
        for (name, value) in fields {
            guard let value else { continue }
            out.line(name.padding(toLength: 16, withPad: " ", startingAt: 0) + TextTable.flatten(value))
        }
        out.line()
        if details.results.isEmpty {
            out.line("no results stored")
        } else {
            var table = TextTable(["TYPE", "PAGE", "STATUS", "BYTES", "URL", "FETCHED"])
            for result in details.results {
                table.append([
                    result.type, String(result.page), result.statusCode.map(String.init) ?? "",
                    String(result.bytes) + (result.prunedAt == nil ? "" : " (pruned)"), result.url ?? "",
                    result.fetchedAt,
                ])
            }
            out.line(table.render())
        }
        if !details.events.isEmpty {
            out.line()
            var table = TextTable(["AT", "FROM", "TO", "DETAIL"])
            for event in details.events {
                table.append([event.at, event.fromState ?? "", event.toState ?? "", event.detail ?? ""])
            }
            out.line(table.render())
        }
        out.flush()
    }
}

extension ResultSummary: @retroactive Encodable {}
extension EventRecord: @retroactive Encodable {}
