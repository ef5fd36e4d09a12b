import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest jobs results ID`: write a stored result out.
struct JobsResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Write a job's stored result (one type, one page) to stdout or a file.",
        discussion: """
            Examples:
              harvest jobs results 42 > page.html
              harvest jobs results 42 --type parsed | jq .
              harvest jobs results 42 --type png --output shot.png
            PNG is written to a file, or to a pipe, never to a terminal. An existing file is kept unless --force.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var target: JobIDArgument

    @Option(help: "raw, parsed or png (default: the job's first result type).")
    var type: String?

    @Option(help: "Result page (1-based).")
    var page = 1

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(help: "Overwrite --output if it exists.")
    var force = false

    func validate() throws {
        guard page >= 1, page <= 100_000 else { throw ValidationError("bad --page \(page): expected 1 or more") }
        if let output, output.isEmpty { throw ValidationError("--output is empty") }
    }

    func run() throws {
        let requested = try type.map { text throws(InputError) -> ResultType in
            guard let type = ResultType(rawValue: text.lowercased()) else {
                throw InputError("unknown result type \(text.quotedForMessage): expected raw, parsed or png")
            }
            return type
        }
        let store = try database.open()
        let job = try store.jobDetails(id: target.id).job
        let type =
            requested ?? job.resultTypes.split(separator: ",").first.flatMap { ResultType(rawValue: String($0)) }
            ?? .raw
        guard let content = try store.resultContent(jobID: target.id, type: type, page: page) else {
            throw InputError(
                "job \(target.id) has no stored \(type.rawValue) result for page \(page) (it is \(job.status.rawValue))"
            )
        }
        let bytes: [UInt8] =
            switch content {
            case .text(let text), .json(let text): Array(text.utf8)
            case .bytes(let bytes): bytes
            }
        if let output {
            let url = URL(fileURLWithPath: output)
            var isDirectory: ObjCBool = false
            let parent = url.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw InputError("cannot write --output \(output.quotedForMessage): its directory does not exist")
            }
            if !force, FileManager.default.fileExists(atPath: url.path) {
                throw InputError("--output \(output.quotedForMessage) exists; add --force to overwrite it")
            }
            do {
                try Data(bytes).write(to: url, options: .atomic)
            } catch {
                throw InputError("cannot write --output \(output.quotedForMessage): \(JobsSubmitCommand.reason(error))")
            }
            return
        }
        if case .bytes = content, isatty(1) != 0 {
            throw InputError("the png result is binary: use --output FILE or a pipe")
        }
        FileHandle.standardOutput.write(Data(bytes))
    }
}
