import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest jobs submit`: validates jobs and queues them; the service sends them to Oxylabs.
struct JobsSubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue one job (from flags) or many (from a JSON Lines file).",
        discussion: """
            Prints the local id of each queued job, one per line. Examples:
              harvest jobs submit --source universal --url https://example.com --param render=html
              harvest jobs submit --source google_search --query "adidas shoes" --param parse=true
              harvest jobs submit --file jobs.jsonl --idempotency-key import-2026-11-26
            Every line of --file is one Oxylabs job payload; the whole file is checked before anything is
            queued. With --idempotency-key, running the same command again returns the existing jobs.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The Oxylabs source, e.g. universal, google_search, amazon_product.")
    var source: String?

    @Option(help: "The URL to scrape (URL sources).")
    var url: String?

    @Option(help: "The search query (query sources).")
    var query: String?

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp(
            "Another job parameter; JSON values are typed (parse=true, pages=3).",
            valueName: "key=value"
        )
    )
    var parameters: [String] = []

    @Option(help: "Result types to store: a comma list of raw, parsed, png (default: from parse/render).")
    var results: String?

    @Option(help: "A JSON Lines file of job payloads, one per line ('-' for standard input).")
    var file: String?

    @Option(help: "Makes a retried submit return the existing job(s) instead of queueing again.")
    var idempotencyKey: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if file != nil, source != nil || url != nil || query != nil || !parameters.isEmpty {
            throw ValidationError("--file cannot be combined with --source, --url, --query or --param")
        }
        if file == nil, source == nil {
            throw ValidationError("missing --source (or --file)")
        }
        if let key = idempotencyKey {
            // ArgumentParser reports a ValidationError from validate() as bad input (exit 2).
            do { try IdempotencyKey.check(key, label: "--idempotency-key") } catch {
                throw ValidationError(error.message)
            }
        }
    }

    func run() throws {
        let resultTypes = try results.map { text throws(InputError) in try ResultType.parseList(text) }
        let outcomes: [EnqueueOutcome]
        if let file {
            outcomes = try submitFile(file, resultTypes: resultTypes)
        } else {
            let request = try JobRequest.fromFlags(
                source: source ?? "",
                url: url,
                query: query,
                parameters: try parameters.map { text throws(InputError) in try JobParameter(parsing: text) },
                resultTypes: resultTypes
            )
            var outcome: EnqueueOutcome?
            try database.open(create: true).enqueueJobs(now: Date()) { enqueue in
                outcome = try enqueue(request, idempotencyKey)
            }
            outcomes = [outcome!]
        }
        try report(outcomes)
    }

    /// Checks the whole file, then queues every line in one transaction.
    private func submitFile(_ path: String, resultTypes: [ResultType]?) throws -> [EnqueueOutcome] {
        let data: Data
        do {
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else if Self.isStream(path) {
                // A device or a pipe (/dev/null, <(…)) cannot be mapped: read it to its end.
                guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoPermission) }
                data = try handle.readToEnd() ?? Data()
            } else {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            }
        } catch {
            throw InputError("cannot read --file \(path.quotedForMessage): \(Self.reason(error))")
        }
        let lines = JobLines(data, resultTypes: resultTypes)
        // Checked before the database is opened (or created): bad input changes nothing.
        guard try lines.validate() > 0 else { throw InputError("--file \(path.quotedForMessage) holds no jobs") }
        return try database.open(create: true).enqueue(lines, idempotencyKey: idempotencyKey, now: Date())
    }

    private func report(_ outcomes: [EnqueueOutcome]) throws {
        let output = Output.standard
        if json {
            struct Entry: Encodable {
                var id: Int64
                var created: Bool
            }
            let entries = outcomes.map { outcome in
                if case .created(let id) = outcome {
                    Entry(id: id, created: true)
                } else {
                    Entry(id: outcome.jobID, created: false)
                }
            }
            if file == nil { try output.json(entries[0]) } else { try output.json(entries) }
        } else {
            for outcome in outcomes { output.line(String(outcome.jobID)) }
        }
        output.flush()
        let existing = outcomes.filter { if case .existing = $0 { true } else { false } }.count
        if existing > 0 {
            FileHandle.standardError.write(
                Data("harvest: \(existing) of \(outcomes.count) job(s) already existed for this idempotency key\n".utf8)
            )
        }
    }

    /// Whether `path` is something other than a regular file or a directory.
    private static func isStream(_ path: String) -> Bool {
        guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType else {
            return false
        }
        return type != .typeRegular && type != .typeDirectory
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}
